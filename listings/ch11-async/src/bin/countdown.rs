//! `countdown`: a future written by hand as a state machine, polled by
//! hand; then the sizes of the futures `async fn`s compile to.

use std::future::Future;
use std::mem::size_of_val;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

// ANCHOR: machine
/// What `async fn countdown(from: u32)` (below) compiles to, written out:
/// one state per place the function can be paused, holding what it needs
/// when it resumes.
enum Countdown {
    /// Paused with `left` numbers still to say.
    Counting { left: u32 },
    /// Returned; polling again is a bug.
    Done,
}

impl Future for Countdown {
    type Output = &'static str;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<&'static str> {
        match *self {
            Countdown::Counting { left: 0 } => {
                *self = Countdown::Done;
                Poll::Ready("liftoff")
            }
            Countdown::Counting { left } => {
                println!("  {left}…");
                *self = Countdown::Counting { left: left - 1 };
                // Ready to go on at once: ask to be polled again.
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Countdown::Done => panic!("Countdown polled after it returned"),
        }
    }
}
// ANCHOR_END: machine

// ANCHOR: async_fn
/// The same, as an `async fn`: the compiler writes the enum.
async fn countdown(from: u32) -> &'static str {
    for left in (1..=from).rev() {
        println!("  {left}…");
        yield_once().await;
    }
    "liftoff"
}

/// Returns `Pending` once (after asking to be polled again), then `Ready`.
async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await
}
// ANCHOR_END: async_fn

// ANCHOR: poll_by_hand
/// Polls `future` until it is ready, saying what each poll returned. A
/// real executor would wait for the waker instead of polling in a loop.
fn poll_by_hand<F: Future<Output = &'static str>>(future: F) {
    let mut future = pin!(future);
    // A waker that does nothing: this loop polls again anyway.
    let mut cx = Context::from_waker(Waker::noop());
    for poll in 1.. {
        match future.as_mut().poll(&mut cx) {
            Poll::Pending => println!("poll {poll}: Pending"),
            Poll::Ready(output) => {
                println!("poll {poll}: Ready({output:?})");
                break;
            }
        }
    }
}
// ANCHOR_END: poll_by_hand

// ANCHOR: sizes
/// Holds a 1 KiB buffer across an `.await`: the buffer is in the future.
async fn keeps_buffer() -> u8 {
    let buf = [1u8; 1024];
    yield_once().await;
    buf[0]
}

/// Uses the buffer before the `.await` only: the future need not hold it.
async fn drops_buffer() -> u8 {
    let first = {
        let buf = [1u8; 1024];
        buf[0]
    };
    yield_once().await;
    first
}

fn sizes() {
    println!(
        "Countdown (by hand): {} bytes",
        size_of_val(&Countdown::Done)
    );
    println!("countdown(3):        {} bytes", size_of_val(&countdown(3)));
    println!(
        "keeps_buffer():      {} bytes",
        size_of_val(&keeps_buffer())
    );
    println!(
        "drops_buffer():      {} bytes",
        size_of_val(&drops_buffer())
    );
}
// ANCHOR_END: sizes

fn main() {
    println!("the state machine, by hand:");
    poll_by_hand(Countdown::Counting { left: 3 });
    println!("the async fn:");
    poll_by_hand(countdown(3));
    sizes();
}
