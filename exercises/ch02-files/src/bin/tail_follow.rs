//! Exercise 2.1: `tail -f`, following a file as it grows.
//!
//! `tail_follow [-n N] FILE` prints the last N lines of FILE (10 without
//! `-n`), then waits, and prints whatever is appended to FILE as it
//! arrives, until it is killed:
//!
//! - A line ends with `\n`. A final line without one still counts as a
//!   line, and is printed as it is; what is appended later completes it.
//! - Find the last N lines by reading backwards from the end of the file,
//!   a block at a time: a 1 GB log must not be read whole.
//! - Check for new data about every 100 ms, and flush standard output after
//!   each write, so that a reader at the other end of a pipe sees every
//!   byte at once, a partial line included.
//! - If FILE becomes shorter than what you have read (someone truncated
//!   it), print `tail_follow: FILE: file truncated` on standard error and
//!   start again from the beginning: print everything FILE holds now, then
//!   go on following it.
//!
//! If FILE cannot be opened, print
//! `tail_follow: cannot open 'FILE' for reading: No such file or directory`
//! (the system's message) on standard error and exit with status 1. A
//! count that is not a number: `tail_follow: invalid number of lines: 'N'`,
//! status 1. Any other wrong command line: a usage line, status 1.
//!
//! Check your solution with `cargo xtask exercise 2.1`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 2.1: print the end of the file in {args:?}, then follow it")
}
