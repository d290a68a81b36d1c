//! Exercise 1.1: `which`, as Debian's debianutils has it.
//!
//! `which [-a] NAME...` prints, for each NAME, the path of the first
//! executable regular file called NAME in the directories of `PATH`:
//!
//! - `PATH` is split at every `:`. An empty entry (leading, trailing, or
//!   between two colons) means the current directory, written `.`. An empty
//!   `PATH` has no entries at all. If `PATH` is unset, use the shell's
//!   default, `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`.
//! - A candidate is the entry, a `/`, and NAME, joined as text: the entry
//!   `bin/` gives `bin//NAME`. Print it exactly so, one per line.
//! - It counts if it is a regular file once symbolic links are followed,
//!   and if you may execute it, as access(2) with `X_OK` decides.
//! - A NAME that contains a `/` is not looked up: it is checked as given,
//!   and printed as given if it counts.
//! - With `-a`, print every candidate that counts, not only the first.
//!
//! Nothing is printed for a NAME that is not found. The exit status is 0 if
//! every NAME was found, 1 if any was not (or if there is no NAME). Options
//! come before the first NAME; `--` ends them; any other option prints a
//! usage line on standard error and exits with status 2.
//!
//! Check your solution with `cargo xtask exercise 1.1`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<_> = env::args_os().skip(1).collect();
    todo!("exercise 1.1: look up {args:?} in PATH as described above")
}
