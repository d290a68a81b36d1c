//! `tokio_sync`: tokio::sync on one thread: a bounded `mpsc` channel that
//! makes a fast producer wait, a `Semaphore` that caps how many tasks run
//! a section at once, and a `Mutex` held across an `.await`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Mutex, Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio::time::sleep;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: mpsc
    // Room for 2 messages: the third send waits until the consumer takes
    // one (like asyncio.Queue(maxsize=2)).
    let (tx, mut rx) = mpsc::channel::<u32>(2);
    let producer = tokio::spawn(async move {
        for n in 1..=4 {
            tx.send(n).await.expect("the consumer is alive");
            println!("sent {n}");
        }
        // Dropping the last sender ends the channel: recv returns None.
    });
    while let Some(n) = rx.recv().await {
        println!("    received {n}");
    }
    producer.await.unwrap();
    // ANCHOR_END: mpsc

    // ANCHOR: semaphore
    // 10 tasks, 3 permits: at most 3 inside at once.
    let permits = Arc::new(Semaphore::new(3));
    let inside = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let mut set = JoinSet::new();
    for _ in 0..10 {
        let (permits, inside, most) =
            (permits.clone(), inside.clone(), most.clone());
        set.spawn(async move {
            let _permit = permits.acquire().await.unwrap(); // released on drop
            let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            sleep(Duration::from_millis(10)).await;
            inside.fetch_sub(1, Ordering::SeqCst);
        });
    }
    set.join_all().await;
    println!(
        "Semaphore(3): at most {} tasks inside",
        most.load(Ordering::SeqCst)
    );
    // ANCHOR_END: semaphore

    // ANCHOR: mutex
    // tokio's Mutex may be held across an .await (std's guard must not be:
    // another task on this thread would block on it forever).
    let total = Arc::new(Mutex::new(0u32));
    let mut set = JoinSet::new();
    for _ in 0..100 {
        let total = total.clone();
        set.spawn(async move {
            let mut guard = total.lock().await;
            let read = *guard;
            tokio::task::yield_now().await; // others run; none gets the lock
            *guard = read + 1;
        });
    }
    set.join_all().await;
    println!(
        "Mutex: 100 increments across an .await = {}",
        *total.lock().await
    );
    // ANCHOR_END: mutex
}
