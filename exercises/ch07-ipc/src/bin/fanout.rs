//! Exercise 7.1: `fanout COMMAND...`, a `tee` for programs.
//!
//! Runs each COMMAND with `sh -c`, its standard input a pipe from us, and
//! copies our standard input into every one of those pipes. At end of
//! input it closes the pipes, so that each command reads end of file, and
//! waits for all of them. A command that stops reading (like `head -c 10`)
//! just stops getting input; the others go on. Exit status 0 if every
//! command exited 0; otherwise 1, with `fanout: COMMAND: STATUS` on
//! standard error for each that did not. No command: a usage line, 2.
//!
//! Check your solution with `cargo xtask exercise 7.1`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let commands: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 7.1: feed standard input to each of {commands:?}")
}
