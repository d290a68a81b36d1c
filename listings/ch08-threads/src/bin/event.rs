//! `event`: Python's `threading.Event`, built from a `Mutex<bool>` and a
//! `Condvar`, and used the way the notes use it: main waits, a worker sets.

use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: event
/// A flag that threads can wait for: Python's `threading.Event`.
#[derive(Default)]
struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    fn set(&self) {
        *self.flag.lock().unwrap() = true;
        self.changed.notify_all(); // wake every waiter
    }

    fn clear(&self) {
        *self.flag.lock().unwrap() = false;
    }

    fn is_set(&self) -> bool {
        *self.flag.lock().unwrap()
    }

    /// Blocks until the flag is set.
    fn wait(&self) {
        let mut flag = self.flag.lock().unwrap();
        // A loop, not an `if`: a waiter can wake without a notify (a
        // spurious wake-up), or after another thread cleared the flag again.
        while !*flag {
            flag = self.changed.wait(flag).unwrap(); // unlocks while asleep
        }
    }

    /// Blocks until the flag is set or `timeout` has passed, and returns
    /// the flag, as Python's `wait(timeout)` does.
    fn wait_timeout(&self, timeout: Duration) -> bool {
        let flag = self.flag.lock().unwrap();
        // The same loop, written for us, with the time left recomputed.
        let (flag, _) = self
            .changed
            .wait_timeout_while(flag, timeout, |set| !*set)
            .unwrap();
        *flag
    }
}
// ANCHOR_END: event

// ANCHOR: main
fn main() {
    let ready = Arc::new(Event::default());
    println!("is_set() = {}", ready.is_set());
    let started = Instant::now();
    println!(
        "wait_timeout(100 ms) = {}",
        ready.wait_timeout(Duration::from_millis(100))
    );
    // Nobody set the flag, so it waited the whole 100 ms.
    assert!(started.elapsed() >= Duration::from_millis(100));

    let setter = Arc::clone(&ready);
    let worker = thread::spawn(move || {
        println!("worker: setting the event");
        setter.set();
    });
    ready.wait(); // returns once the worker has called set()
    println!("main: the event is set, wait() returned");
    println!(
        "wait_timeout(100 ms) = {}",
        ready.wait_timeout(Duration::from_millis(100))
    );
    ready.clear();
    println!("after clear(): is_set() = {}", ready.is_set());
    worker.join().unwrap();
}
// ANCHOR_END: main
