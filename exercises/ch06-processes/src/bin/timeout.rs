//! Exercise 6.1: `timeout DURATION COMMAND [ARG...]`, like coreutils'
//! `timeout`.
//!
//! Runs COMMAND with its arguments in a new process group. If it is still
//! running after DURATION (seconds, with an optional fraction and an
//! optional suffix `s`, `m`, `h` or `d`; `0` means no limit), sends
//! SIGTERM to the whole group, then SIGCONT (a stopped process acts on
//! SIGTERM only once it is continued), reaps the command and exits with
//! status 124. Otherwise exits with the command's own status; if signal N
//! killed the command, `timeout` kills itself with signal N, so that
//! whoever waits for it learns what happened (a shell shows 128 + N). A
//! bad DURATION or missing arguments: a message on standard error and
//! status 125. A command that cannot be found: 127; one that is found but
//! cannot be run: 126.
//!
//! Check your solution with `cargo xtask exercise 6.1`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 6.1: run {args:?} with a time limit, as described above")
}
