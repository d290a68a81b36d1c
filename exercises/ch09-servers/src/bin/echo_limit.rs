//! Exercise 9.1: a connection limit for the thread-per-connection server.
//!
//! `echo_limit [addr [max]]` is `echo_threads` (Listing 9-7) with a limit:
//! at most `max` clients (default 100) are served at the same time. A
//! client that connects while `max` are connected gets the one line
//! `busy: MAX clients connected, try again later` and the connection is
//! closed. As soon as a client leaves, there is room for another.
//!
//! Check your solution with `cargo xtask exercise 9.1`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 9.1: serve {args:?} like echo_threads, at most MAX clients at a time")
}
