//! `tokio_tasks`: tokio's tasks: `spawn` and its `JoinHandle`, a `JoinSet` of
//! many, `join!` inside one task, and a task that panics.

use std::time::{Duration, Instant};

use tokio::task::JoinSet;
use tokio::time::sleep;

async fn square(n: u64) -> u64 {
    sleep(Duration::from_millis(50 * (5 - n))).await; // finish out of order
    n * n
}

// ANCHOR: main
// One thread, so that tasks finish in the order of their timers on every
// run; on `multi_thread` the same code runs the tasks on every core.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // spawn: the task is queued now and runs when this task waits; the
    // handle awaits its result (like asyncio.create_task).
    let handle = tokio::spawn(square(4));
    println!("spawn + await handle: {}", handle.await.unwrap());

    // JoinSet: many tasks, results in the order they finish.
    let mut set = JoinSet::new();
    for n in 1..=4 {
        set.spawn(square(n));
    }
    let mut finished = Vec::new();
    while let Some(result) = set.join_next().await {
        finished.push(result.unwrap());
    }
    println!("JoinSet, in the order they finished: {finished:?}");

    // join!: several futures at once inside this task (like asyncio.gather).
    let start = Instant::now();
    let (a, b) = tokio::join!(
        async {
            sleep(Duration::from_millis(200)).await;
            "a"
        },
        async {
            sleep(Duration::from_millis(200)).await;
            "b"
        }
    );
    // One after the other, they would take at least 400 ms.
    let together = start.elapsed() < Duration::from_millis(400);
    println!("join!: ({a}, {b}), two 200 ms sleeps at once: {together}");

    // A panic ends only its own task; the handle reports it.
    let panicked = tokio::spawn(async { panic!("task failed") }).await;
    let error = panicked.unwrap_err();
    println!("a task that panicked: is_panic() = {}", error.is_panic());
}
// ANCHOR_END: main
