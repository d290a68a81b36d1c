//! Exercise 8.1: a bounded blocking queue, Python's `queue.Queue(maxsize)`.
//!
//! Many threads may push and pop at once. `push` blocks while the queue
//! holds `capacity` items; `pop` blocks while it is empty. Nothing is lost
//! and nothing is delivered twice. Use a `Mutex` and one or two `Condvar`s.
//!
//! Check your solution with `cargo xtask exercise 8.1`.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// A first-in, first-out queue that holds at most `capacity` items.
#[allow(dead_code)] // until your code uses every field
pub struct BoundedQueue<T> {
    // A suggestion: change the fields as you like.
    items: Mutex<VecDeque<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

impl<T> BoundedQueue<T> {
    /// An empty queue for up to `capacity` items. Panics if `capacity` is 0.
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "a queue needs room for at least one item");
        BoundedQueue {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity,
        }
    }

    /// Adds `item` at the back, waiting while the queue is full.
    pub fn push(&self, item: T) {
        drop(item);
        todo!("exercise 8.1: wait while full, push, wake a popper")
    }

    /// Removes the item at the front, waiting while the queue is empty.
    pub fn pop(&self) -> T {
        todo!("exercise 8.1: wait while empty, pop, wake a pusher")
    }

    /// Like `push`, but gives up after `timeout` and hands the item back.
    pub fn push_timeout(&self, item: T, timeout: Duration) -> Result<(), T> {
        drop(item);
        todo!("exercise 8.1: push, waiting at most {timeout:?}")
    }

    /// Like `pop`, but gives up after `timeout`.
    pub fn pop_timeout(&self, timeout: Duration) -> Option<T> {
        todo!("exercise 8.1: pop, waiting at most {timeout:?}")
    }

    /// How many items the queue holds now.
    pub fn len(&self) -> usize {
        todo!("exercise 8.1: the number of items")
    }

    /// Whether the queue holds no items now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
