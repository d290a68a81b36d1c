//! `block_in_task`: a blocking call inside a task stalls every task on its
//! thread; `spawn_blocking` moves it to a thread of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::time::sleep;

// ANCHOR: gap
/// Runs `work` next to a task that wakes every 10 ms, and returns the
/// longest the ticker went without running.
async fn longest_gap(work: impl Future<Output = ()>) -> Duration {
    let done = Arc::new(AtomicBool::new(false));
    let ticker = tokio::spawn({
        let done = done.clone();
        async move {
            let mut longest = Duration::ZERO;
            let mut last = Instant::now();
            while !done.load(Ordering::Relaxed) {
                sleep(Duration::from_millis(10)).await;
                longest = longest.max(last.elapsed());
                last = Instant::now();
            }
            longest
        }
    });
    tokio::task::yield_now().await; // let the ticker start
    work.await;
    done.store(true, Ordering::Relaxed);
    ticker.await.unwrap()
}
// ANCHOR_END: gap

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let stalled = longest_gap(async {
        // Blocks the only runtime thread: no other task runs meanwhile.
        std::thread::sleep(Duration::from_millis(300));
    })
    .await;
    println!(
        "std::thread::sleep(300 ms) in a task: the ticker's longest gap {} ms",
        stalled.as_millis()
    );

    let fixed = longest_gap(async {
        // Runs on tokio's blocking pool; this task awaits the result.
        tokio::task::spawn_blocking(|| {
            std::thread::sleep(Duration::from_millis(300))
        })
        .await
        .unwrap();
    })
    .await;
    println!(
        "spawn_blocking(sleep 300 ms):         the ticker's longest gap {} ms",
        fixed.as_millis()
    );
}
// ANCHOR_END: main
