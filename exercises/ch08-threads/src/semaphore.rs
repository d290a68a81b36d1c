//! Exercise 8.3: a counting semaphore, Python's `threading.Semaphore`.
//!
//! A semaphore holds a number of permits. `acquire` takes one, waiting
//! while there are none; dropping the `Permit` it returns gives the permit
//! back. So a permit cannot be released twice, or by code that never
//! acquired one: the type system sees to it.
//!
//! Check your solution with `cargo xtask exercise 8.3`.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// A counting semaphore.
#[allow(dead_code)] // until your code uses every field
pub struct Semaphore {
    // A suggestion: change the fields as you like.
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
        todo!("exercise 8.3: wait for a permit and take it")
    }

    /// Takes a permit if one is free now.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        todo!("exercise 8.3: take a permit without waiting")
    }

    /// Takes a permit, waiting at most `timeout` for one.
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<Permit<'_>> {
        todo!("exercise 8.3: take a permit, waiting at most {timeout:?}")
    }

    /// How many permits are free now.
    pub fn available(&self) -> usize {
        todo!("exercise 8.3: the number of free permits")
    }
}

impl Drop for Permit<'_> {
    /// Gives the permit back, and wakes a thread waiting for one.
    fn drop(&mut self) {
        let _ = self.semaphore;
        todo!("exercise 8.3: give the permit back")
    }
}
