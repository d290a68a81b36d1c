//! Exercise 9.2: a graceful shutdown for the thread-pool server.
//!
//! `echo_graceful [addr [workers [queue]]]` is `echo_pool` (Listing 9-8)
//! that stops cleanly on SIGTERM: it closes its listening socket at once
//! (new clients are refused), prints `shutting down` on standard output,
//! lets every connection already accepted finish (the ones being served and
//! the ones in the queue), and then exits with status 0.
//!
//! Check your solution with `cargo xtask exercise 9.2`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 9.2: serve {args:?} like echo_pool, and shut down gracefully on SIGTERM")
}
