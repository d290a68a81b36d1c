//! The tests of chapter 8's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 8.N` runs one
//! module against your code.

mod ex8_1;
mod ex8_2;
mod ex8_3;

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Runs `work` on a thread and waits at most `timeout` for its result, so
/// that a solution that blocks forever fails the test instead of hanging
/// it. `what` says what was expected, for the failure message.
#[track_caller]
fn within<T: Send + 'static>(
    timeout: Duration,
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(work());
    });
    match rx.recv_timeout(timeout) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: still blocked after {timeout:?}")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("{what}: the code panicked")
        }
    }
}
