//! Exercise 10.2: a line broadcaster in one thread with `poll`.
//!
//! `broadcast_poll [addr]` sends `welcome\n` to each client that connects.
//! Every complete line a client sends (up to and including `\n`) goes to
//! every *other* connected client, whole. A line longer than 1,024 bytes
//! (`\n` included) gets `error: line longer than 1024 bytes\n` and its
//! sender is disconnected. A client with more than 64 KiB waiting to be
//! sent to it (it does not read) is disconnected; the others go on.
//!
//! Check your solution with `cargo xtask exercise 10.2`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 10.2: broadcast lines on {args:?} with poll")
}
