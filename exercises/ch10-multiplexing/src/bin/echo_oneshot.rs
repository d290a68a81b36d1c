//! Exercise 10.3: several threads on one epoll instance, with
//! `EPOLLONESHOT`.
//!
//! `echo_oneshot [addr [threads]]` is an echo server whose `threads`
//! threads (default 2, the main thread included) all call `epoll_wait` on
//! one epoll instance. Every descriptor is registered with `EPOLLONESHOT`,
//! so that no two threads ever work on the same connection at once, and is
//! re-armed with `EPOLL_CTL_MOD` when its thread is done with it. It passes
//! the echo suite's tests: every byte in order, a slow reader without
//! spinning, half-close, and running out of descriptors.
//!
//! Check your solution with `cargo xtask exercise 10.3`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 10.3: serve {args:?} from several threads with EPOLLONESHOT")
}
