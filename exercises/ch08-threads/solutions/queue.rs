//! Exercise 8.1, a reference solution: a bounded blocking queue.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// A first-in, first-out queue that holds at most `capacity` items.
pub struct BoundedQueue<T> {
    items: Mutex<VecDeque<T>>,
    /// Signalled when an item arrives: a popper may go on.
    not_empty: Condvar,
    /// Signalled when an item leaves: a pusher may go on.
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
        let items = self.items.lock().unwrap();
        let mut items = self
            .not_full
            .wait_while(items, |items| items.len() == self.capacity)
            .unwrap();
        items.push_back(item);
        // One item arrived: one popper can take it.
        self.not_empty.notify_one();
    }

    /// Removes the item at the front, waiting while the queue is empty.
    pub fn pop(&self) -> T {
        let items = self.items.lock().unwrap();
        let mut items = self
            .not_empty
            .wait_while(items, |items| items.is_empty())
            .unwrap();
        let item = items.pop_front().expect("not empty: we waited for it");
        self.not_full.notify_one();
        item
    }

    /// Like `push`, but gives up after `timeout` and hands the item back.
    pub fn push_timeout(&self, item: T, timeout: Duration) -> Result<(), T> {
        let items = self.items.lock().unwrap();
        let (mut items, _) = self
            .not_full
            .wait_timeout_while(items, timeout, |items| {
                items.len() == self.capacity
            })
            .unwrap();
        // Decide by the queue, not by `timed_out()`: room may have appeared
        // just as the time ran out.
        if items.len() == self.capacity {
            return Err(item);
        }
        items.push_back(item);
        self.not_empty.notify_one();
        Ok(())
    }

    /// Like `pop`, but gives up after `timeout`.
    pub fn pop_timeout(&self, timeout: Duration) -> Option<T> {
        let items = self.items.lock().unwrap();
        let (mut items, _) = self
            .not_empty
            .wait_timeout_while(items, timeout, |items| items.is_empty())
            .unwrap();
        let item = items.pop_front()?;
        self.not_full.notify_one();
        Some(item)
    }

    /// How many items the queue holds now.
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    /// Whether the queue holds no items now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
