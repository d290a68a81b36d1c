//! Exercise 1.2: `du -sb`, the apparent size of a whole tree.
//!
//! `du_sb PATH...` prints one line for each PATH: its total size in bytes,
//! a tab, and PATH exactly as given (`8207\tdocs`), as GNU `du -sb` does:
//!
//! - A file counts its apparent size, `len()`, not the blocks it occupies:
//!   a sparse file counts its whole length.
//! - A directory counts its own size plus everything under it.
//! - Symbolic links are never followed, neither inside a tree nor as a
//!   PATH: a link counts its own size (the length of the path it holds).
//! - Every file is counted once, by device and inode number, across all
//!   PATHs: a second hard link adds nothing, and a PATH that was already
//!   counted (the same PATH twice, or a path inside an earlier PATH) prints
//!   no line at all.
//! - With no PATH, summarise `.`.
//!
//! Errors go to standard error and do not stop the others:
//! `du_sb: cannot access 'PATH': No such file or directory` when PATH (or a
//! file inside a tree) cannot be examined, and
//! `du_sb: cannot read directory 'DIR': Permission denied` when a directory
//! cannot be listed (its own size still counts). The message is the
//! system's, without Rust's ` (os error N)`. The exit status is 1 if
//! anything failed, 0 otherwise.
//!
//! Check your solution with `cargo xtask exercise 1.2`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let paths: Vec<_> = env::args_os().skip(1).collect();
    todo!("exercise 1.2: print the apparent size of each of {paths:?}")
}
