//! Exercise 6.3: `reap_all COMMAND...`: run commands in parallel and
//! report each one as it ends.
//!
//! Starts every COMMAND at once, each with `sh -c COMMAND`. Whenever one
//! ends, in whatever order they end, prints one line and flushes it:
//! `[N] exit status S: COMMAND` or `[N] killed by SIGNAL: COMMAND`, where
//! N is the command's position among the arguments (from 1) and SIGNAL a
//! name such as `SIGKILL`. Once all have ended and been reaped, exits with
//! 0 if every command exited with status 0, and 1 otherwise. With no
//! arguments: a usage line on standard error and status 2.
//!
//! Check your solution with `cargo xtask exercise 6.3`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 6.3: run {args:?} in parallel and report each as it ends")
}
