//! Exercise 7.3: a bounded work queue on a POSIX message queue, with
//! Python's `Queue` semantics: `put` and `get` wait at most a timeout, then
//! fail with `Full` or `Empty`.
//!
//! Replace each `todo!()`. Check your solution with
//! `cargo xtask exercise 7.3`.

use std::time::Duration;

use nix::errno::Errno;

/// Why a queue operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueError {
    /// `put` found no room before its timeout (Python: `queue.Full`).
    Full,
    /// `get` found no job before its timeout (Python: `queue.Empty`).
    Empty,
    /// `put` was given a job longer than the queue's `max_len`.
    TooLong,
    /// The system refused: `EEXIST`, `ENOENT`, `EINVAL`, `EMFILE`, …
    Os(Errno),
}

impl From<Errno> for QueueError {
    fn from(errno: Errno) -> Self {
        QueueError::Os(errno)
    }
}

/// A handle to a named queue of jobs (byte strings).
pub struct WorkQueue {
    // Your fields: the queue descriptor (nix::mqueue::MqdT), whether this
    // handle created the queue, and its two limits.
}

impl WorkQueue {
    /// Creates the queue `name` (`/something`) for at most `capacity` jobs
    /// of at most `max_len` bytes. Fails with `Os(EEXIST)` if it exists.
    /// The queue is removed when this handle is dropped.
    pub fn create(name: &str, capacity: usize, max_len: usize) -> Result<Self, QueueError> {
        todo!("exercise 7.3: create {name} for {capacity} jobs of {max_len} bytes")
    }

    /// Opens the existing queue `name`. Dropping this handle closes it,
    /// and leaves the queue to its creator.
    pub fn open(name: &str) -> Result<Self, QueueError> {
        todo!("exercise 7.3: open {name}")
    }

    /// `q.put(job, timeout=t)`: waits at most `timeout` for room, then
    /// fails with `Full`. `Duration::ZERO` does not wait at all.
    pub fn put(&self, job: &[u8], timeout: Duration) -> Result<(), QueueError> {
        todo!(
            "exercise 7.3: put {} bytes, waiting at most {timeout:?}",
            job.len()
        )
    }

    /// `q.get(timeout=t)`: waits at most `timeout` for a job, then fails
    /// with `Empty`. `Duration::ZERO` does not wait at all.
    pub fn get(&self, timeout: Duration) -> Result<Vec<u8>, QueueError> {
        todo!("exercise 7.3: get a job, waiting at most {timeout:?}")
    }

    /// `q.qsize()`: how many jobs wait now (stale as soon as it returns).
    pub fn len(&self) -> Result<usize, QueueError> {
        todo!("exercise 7.3: qsize")
    }

    /// `q.empty()`.
    pub fn is_empty(&self) -> Result<bool, QueueError> {
        todo!("exercise 7.3: empty")
    }

    /// `q.full()`.
    pub fn is_full(&self) -> Result<bool, QueueError> {
        todo!("exercise 7.3: full")
    }

    /// How many jobs the queue holds at most.
    pub fn capacity(&self) -> usize {
        todo!("exercise 7.3: capacity")
    }

    /// The longest job, in bytes.
    pub fn max_len(&self) -> usize {
        todo!("exercise 7.3: max_len")
    }
}

// Remember Drop: close the descriptor (nix 0.32's MqdT does not close
// itself) and, in the handle that created the queue, unlink it.
