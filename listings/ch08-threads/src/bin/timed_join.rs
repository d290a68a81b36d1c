//! `timed_join`: std's `join` has no timeout. A channel that carries the
//! thread's result gives you one, and `is_finished` tells you whether
//! `join` would block.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

// ANCHOR: timed
/// A thread whose result you can wait for with a timeout.
struct TimedHandle<T> {
    handle: JoinHandle<()>,
    result: Receiver<T>,
}

fn spawn_timed<T, F>(work: F) -> TimedHandle<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (sender, result) = mpsc::sync_channel(1);
    let handle = thread::spawn(move || {
        // If `work` panics, `sender` is dropped unsent: the receiver then
        // sees `Disconnected` instead of waiting out its timeout.
        let _ = sender.send(work());
    });
    TimedHandle { handle, result }
}

impl<T> TimedHandle<T> {
    /// Python's `join(timeout)`, but it says what happened: `Ok(value)`,
    /// `Err(Timeout)` (still running) or `Err(Disconnected)` (it panicked).
    fn join_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        self.result.recv_timeout(timeout)
    }

    /// Python's `is_alive()`, negated.
    fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }
}
// ANCHOR_END: timed

// ANCHOR: main
fn main() {
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let worker = spawn_timed(move || {
        stop_rx.recv().ok(); // works until main says stop
        42
    });
    let waited = worker.join_timeout(Duration::from_millis(100));
    println!(
        "after 100 ms: {waited:?}, is_finished() = {}",
        worker.is_finished()
    );

    stop_tx.send(()).unwrap();
    let waited = worker.join_timeout(Duration::from_secs(5));
    println!("after stop:   {waited:?}");
    // It has sent its result, so this wait is short.
    worker.handle.join().unwrap();

    let failing = spawn_timed(|| -> u32 { panic!("the job failed") });
    let waited = failing.join_timeout(Duration::from_secs(5));
    println!("a panicking thread: {waited:?}");
    println!(
        "join says: {:?}",
        failing.handle.join().map_err(|_| "it panicked")
    );
}
// ANCHOR_END: main
