//! Exercise 10.1: an idle timeout, from the readiness API's own timeout.
//!
//! `echo_idle [addr [idle-ms]]` is `echo_poll` (Listing 10-12) that closes
//! a connection on which nothing has been read or written for `idle-ms`
//! milliseconds (default 10000): it sends `idle timeout\n` and closes it.
//! No timer thread, no busy loop: `poll`'s timeout is the time until the
//! nearest deadline.
//!
//! Check your solution with `cargo xtask exercise 10.1`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 10.1: serve {args:?} like echo_poll, closing idle connections")
}
