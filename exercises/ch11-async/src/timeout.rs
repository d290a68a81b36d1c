//! Exercise 11.1: a timeout for the hand-made runtime, Python's
//! `asyncio.wait_for`.
//!
//! Check your solution with `cargo xtask exercise 11.1`.

use std::future::Future;
use std::time::Duration;

#[allow(unused_imports)] // until your code uses them
use ch11_async::reactor::sleep;

/// The error `timeout` returns when time ran out.
#[derive(Debug, PartialEq, Eq)]
pub struct Elapsed;

/// Runs `future` until it finishes, returning `Ok(output)`, or until
/// `duration` has passed, returning `Err(Elapsed)`; then `future` has been
/// dropped. For the executor and reactor of `ch11_async`.
pub async fn timeout<F: Future>(
    duration: Duration,
    future: F,
) -> Result<F::Output, Elapsed> {
    let _ = (duration, future);
    todo!("poll `future` and a `sleep(duration)` in turn")
}
