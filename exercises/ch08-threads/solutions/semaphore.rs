//! Exercise 8.3, a reference solution: a counting semaphore whose permits
//! are given back when dropped.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// A counting semaphore.
pub struct Semaphore {
    permits: Mutex<usize>,
    released: Condvar,
}

/// One permit, held until it is dropped.
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` permits.
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            permits: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    /// Takes a permit, waiting while there is none.
    pub fn acquire(&self) -> Permit<'_> {
        let permits = self.permits.lock().unwrap();
        let mut permits =
            self.released.wait_while(permits, |n| *n == 0).unwrap();
        *permits -= 1;
        Permit { semaphore: self }
    }

    /// Takes a permit if one is free now.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut permits = self.permits.lock().unwrap();
        if *permits == 0 {
            return None;
        }
        *permits -= 1;
        Some(Permit { semaphore: self })
    }

    /// Takes a permit, waiting at most `timeout` for one.
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<Permit<'_>> {
        let permits = self.permits.lock().unwrap();
        let (mut permits, _) = self
            .released
            .wait_timeout_while(permits, timeout, |n| *n == 0)
            .unwrap();
        if *permits == 0 {
            return None;
        }
        *permits -= 1;
        Some(Permit { semaphore: self })
    }

    /// How many permits are free now.
    pub fn available(&self) -> usize {
        *self.permits.lock().unwrap()
    }
}

impl Drop for Permit<'_> {
    /// Gives the permit back, and wakes a thread waiting for one.
    fn drop(&mut self) {
        // Even if another thread panicked while holding the lock, the
        // count is still right: give the permit back regardless.
        let mut permits = self
            .semaphore
            .permits
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *permits += 1;
        self.semaphore.released.notify_one();
    }
}
