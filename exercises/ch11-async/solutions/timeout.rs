//! Exercise 11.1: a timeout for the hand-made runtime, Python's
//! `asyncio.wait_for`.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

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
    // Both are pinned here, in this future's own state: polling needs a
    // fixed address, and this future does not move once polled.
    let mut future = pin!(future);
    let mut timer = pin!(sleep(duration));
    // Each poll of this future polls both with the same waker: whichever
    // becomes ready (a socket, the timer) wakes this task, and the next
    // poll sees which.
    poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Ok(output));
        }
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(Elapsed));
        }
        Poll::Pending
    })
    .await
    // Returning drops `future`: a timed-out future is cancelled.
}
