//! Exercise 2.2: copying a sparse file without filling its holes.
//!
//! `sparse_copy SRC DST` copies the regular file SRC to DST so that DST
//! reads back byte for byte the same, and has holes where SRC has them:
//!
//! - Find SRC's data with lseek(2): `SEEK_DATA` from an offset moves to the
//!   next byte that is data, `SEEK_HOLE` to the next byte that is in a
//!   hole (the end of the file counts as one), and `SEEK_DATA` fails with
//!   `ENXIO` when no data follows.
//! - Copy only the data, each part at its own offset in DST. Write nothing
//!   for a hole; if SRC ends in a hole, give DST its length at the end.
//! - DST is created if it is missing (with SRC's permission bits, less the
//!   umask, as `cp` does) and emptied if it exists.
//!
//! Errors, on standard error with exit status 1, as `cp` words them:
//! `sparse_copy: cannot stat 'SRC': No such file or directory` when SRC
//! cannot be examined, and
//! `sparse_copy: cannot create regular file 'DST': No such file or
//! directory` when DST cannot be opened (with the system's message in each).
//! Not exactly two operands: a usage line, status 1.
//!
//! Check your solution with `cargo xtask exercise 2.2`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 2.2: copy {args:?}, keeping the holes")
}
