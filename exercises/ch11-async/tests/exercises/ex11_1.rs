//! Exercise 11.1: A timeout for the hand-made runtime
//! Edit: exercises/ch11-async/src/timeout.rs
//! Hint: pin both `future` and `sleep(duration)` with `std::pin::pin!`, then await a `std::future::poll_fn` that polls the future first (Ready: `Ok`) and the timer second (Ready: `Err(Elapsed)`), with the same `cx`, and otherwise returns `Pending`.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use ch11_async::executor::block_on;
use ch11_async::reactor::sleep;
use harness::DEADLINE;

#[cfg(not(feature = "reference"))]
use ex11_async::timeout::{Elapsed, timeout};
#[cfg(feature = "reference")]
use ex11_async::timeout_reference::{Elapsed, timeout};

/// Runs `test` on a thread of its own (the runtime is per thread) and
/// fails if it does not finish within the harness's deadline.
#[track_caller]
fn within_deadline(test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(DEADLINE) {
        Ok(()) => runner.join().unwrap(),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            if let Err(panic) = runner.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("timeout still had not returned after {DEADLINE:?}")
        }
    }
}

#[test]
fn a_future_that_is_ready_gives_ok() {
    within_deadline(|| {
        let result = block_on(timeout(Duration::from_secs(60), async { 42 }));
        assert_eq!(result, Ok(42));
    });
}

#[test]
fn a_future_that_finishes_before_the_deadline_gives_ok() {
    within_deadline(|| {
        let result = block_on(timeout(Duration::from_secs(60), async {
            sleep(Duration::from_millis(20)).await;
            "in time"
        }));
        assert_eq!(result, Ok("in time"));
    });
}

#[test]
fn a_future_that_takes_too_long_gives_elapsed_when_time_runs_out() {
    within_deadline(|| {
        let start = Instant::now();
        let result = block_on(timeout(
            Duration::from_millis(100),
            sleep(Duration::from_secs(3600)),
        ));
        assert_eq!(result, Err(Elapsed));
        assert!(
            start.elapsed() >= Duration::from_millis(100),
            "Elapsed after {:?}, before the 100 ms were up",
            start.elapsed()
        );
    });
}

#[test]
fn the_future_is_dropped_when_time_runs_out() {
    /// Sets its flag when dropped.
    struct Flag(Rc<Cell<bool>>);
    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }
    within_deadline(|| {
        let dropped = Rc::new(Cell::new(false));
        let flag = Flag(dropped.clone());
        let result = block_on(async {
            let result = timeout(Duration::from_millis(20), async move {
                let _flag = flag;
                sleep(Duration::from_secs(3600)).await;
            })
            .await;
            // Already dropped here, before anything else runs.
            (result, dropped.get())
        });
        assert_eq!(result, (Err(Elapsed), true));
    });
}
