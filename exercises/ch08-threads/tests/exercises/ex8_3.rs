//! Exercise 8.3: A semaphore
//! Edit: exercises/ch08-threads/src/semaphore.rs
//! Hint: The free permits are a number under a `Mutex`. `acquire` waits on a `Condvar` while it is 0 (`wait_while`), then takes one; `try_acquire` does not wait; `acquire_timeout` uses `wait_timeout_while` and then looks at the number. `Permit::drop` adds one back and calls `notify_one`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use harness::DEADLINE;

#[cfg(not(feature = "reference"))]
use ex08_threads::semaphore::Semaphore;
#[cfg(feature = "reference")]
use ex08_threads::semaphore_reference::Semaphore;

use super::within;

/// Long enough that a thread which could go on would have; used only to
/// check that something is still blocked.
const BLOCKED: Duration = Duration::from_millis(200);

#[test]
fn permits_are_taken_until_none_are_left_and_come_back_when_dropped() {
    let semaphore = Semaphore::new(3);
    assert_eq!(semaphore.available(), 3);
    let permits: Vec<_> = (0..3).map(|_| semaphore.try_acquire()).collect();
    assert!(
        permits.iter().all(Option::is_some),
        "3 permits, 3 holders at once"
    );
    assert_eq!(semaphore.available(), 0);
    assert!(semaphore.try_acquire().is_none());
    drop(permits);
    assert_eq!(semaphore.available(), 3);
}

#[test]
fn never_more_holders_than_permits() {
    let most = within(DEADLINE, "8 threads sharing 3 permits", || {
        let semaphore = Semaphore::new(3);
        let inside = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..300 {
                        let _permit = semaphore.acquire();
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert_eq!(semaphore.available(), 3, "every permit came back");
        most.into_inner()
    });
    assert!(
        (1..=3).contains(&most),
        "{most} threads held a permit at once"
    );
}

#[test]
fn acquire_blocks_until_a_permit_is_dropped() {
    let semaphore = Arc::new(Semaphore::new(1));
    let held = semaphore.try_acquire().expect("one permit is free");
    let (acquired, got) = mpsc::channel();
    let waiter = {
        let semaphore = Arc::clone(&semaphore);
        thread::spawn(move || {
            let _permit = semaphore.acquire();
            acquired.send(()).unwrap();
        })
    };
    assert!(
        got.recv_timeout(BLOCKED).is_err(),
        "acquire returned while the only permit was held"
    );
    drop(held);
    got.recv_timeout(DEADLINE)
        .expect("acquire should return once the permit is dropped");
    waiter.join().unwrap();
    assert_eq!(semaphore.available(), 1);
}

#[test]
fn acquire_timeout_gives_up_and_takes_a_permit_freed_in_time() {
    let timeout = Duration::from_millis(100);
    let (gave_up, waited) = within(DEADLINE, "acquire_timeout", move || {
        let semaphore = Semaphore::new(1);
        let _held = semaphore.acquire();
        let start = Instant::now();
        let gave_up = semaphore.acquire_timeout(timeout).is_none();
        (gave_up, start.elapsed())
    });
    assert!(
        gave_up,
        "acquire_timeout returned a permit that was not free"
    );
    assert!(waited >= timeout, "it gave up after {waited:?}");

    let semaphore = Arc::new(Semaphore::new(1));
    let held = semaphore.acquire();
    let (started, waiting) = mpsc::channel();
    let waiter = {
        let semaphore = Arc::clone(&semaphore);
        thread::spawn(move || {
            started.send(()).unwrap();
            semaphore.acquire_timeout(DEADLINE).is_some()
        })
    };
    waiting.recv().unwrap();
    drop(held);
    assert!(within(DEADLINE, "acquire_timeout", move || waiter
        .join()
        .unwrap()));
}
