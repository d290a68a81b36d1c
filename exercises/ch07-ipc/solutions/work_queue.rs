//! Exercise 7.3: a bounded work queue on a POSIX message queue, with
//! Python's `Queue` semantics: `put` and `get` wait at most a timeout, then
//! fail with `Full` or `Empty`.

use std::os::fd::AsRawFd;
use std::time::Duration;

use nix::errno::Errno;
use nix::mqueue::{
    MQ_OFlag, MqAttr, MqdT, mq_attr_member_t, mq_close, mq_getattr, mq_open, mq_timedreceive,
    mq_unlink,
};
use nix::sys::stat::Mode;
use nix::sys::time::TimeSpec;
use nix::time::{ClockId, clock_gettime};

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
    mqd: Option<MqdT>,
    /// Set on the handle that created the queue: it removes it on drop.
    name_to_unlink: Option<String>,
    capacity: usize,
    max_len: usize,
}

impl WorkQueue {
    /// Creates the queue `name` (`/something`) for at most `capacity` jobs
    /// of at most `max_len` bytes. Fails with `Os(EEXIST)` if it exists.
    /// The queue is removed when this handle is dropped.
    pub fn create(name: &str, capacity: usize, max_len: usize) -> Result<Self, QueueError> {
        let attr = MqAttr::new(
            0,
            capacity as mq_attr_member_t,
            max_len as mq_attr_member_t,
            0,
        );
        let flags = MQ_OFlag::O_CREAT | MQ_OFlag::O_EXCL | MQ_OFlag::O_RDWR;
        let mqd = mq_open(name, flags, Mode::S_IRUSR | Mode::S_IWUSR, Some(&attr))?;
        let mut queue = WorkQueue::from_mqd(mqd)?;
        queue.name_to_unlink = Some(name.to_owned());
        Ok(queue)
    }

    /// Opens the existing queue `name`. Dropping this handle closes it,
    /// and leaves the queue to its creator.
    pub fn open(name: &str) -> Result<Self, QueueError> {
        let mqd = mq_open(name, MQ_OFlag::O_RDWR, Mode::empty(), None)?;
        WorkQueue::from_mqd(mqd)
    }

    fn from_mqd(mqd: MqdT) -> Result<Self, QueueError> {
        let attr = mq_getattr(&mqd)?;
        Ok(WorkQueue {
            capacity: attr.maxmsg() as usize,
            max_len: attr.msgsize() as usize,
            mqd: Some(mqd),
            name_to_unlink: None,
        })
    }

    fn mqd(&self) -> &MqdT {
        self.mqd.as_ref().expect("open until drop")
    }

    /// `q.put(job, timeout=t)`: waits at most `timeout` for room, then
    /// fails with `Full`. `Duration::ZERO` does not wait at all.
    pub fn put(&self, job: &[u8], timeout: Duration) -> Result<(), QueueError> {
        if job.len() > self.max_len {
            return Err(QueueError::TooLong);
        }
        let until = deadline(timeout)?;
        loop {
            // SAFETY: an open queue descriptor, `job`'s pointer and length,
            // and a valid timespec. nix 0.32 has no mq_timedsend.
            let res = unsafe {
                let (ptr, len) = (job.as_ptr().cast(), job.len());
                libc::mq_timedsend(self.mqd().as_raw_fd(), ptr, len, 0, until.as_ref())
            };
            match Errno::result(res) {
                Ok(_) => return Ok(()),
                Err(Errno::EINTR) => continue, // same deadline, try again
                Err(Errno::ETIMEDOUT | Errno::EAGAIN) => return Err(QueueError::Full),
                Err(errno) => return Err(errno.into()),
            }
        }
    }

    /// `q.get(timeout=t)`: waits at most `timeout` for a job, then fails
    /// with `Empty`. `Duration::ZERO` does not wait at all.
    pub fn get(&self, timeout: Duration) -> Result<Vec<u8>, QueueError> {
        let until = deadline(timeout)?;
        let mut buf = vec![0u8; self.max_len]; // mq_receive wants msgsize bytes
        loop {
            match mq_timedreceive(self.mqd(), &mut buf, &mut 0, &until) {
                Ok(n) => {
                    buf.truncate(n);
                    return Ok(buf);
                }
                Err(Errno::EINTR) => continue,
                Err(Errno::ETIMEDOUT | Errno::EAGAIN) => return Err(QueueError::Empty),
                Err(errno) => return Err(errno.into()),
            }
        }
    }

    /// `q.qsize()`: how many jobs wait now (stale as soon as it returns).
    pub fn len(&self) -> Result<usize, QueueError> {
        Ok(mq_getattr(self.mqd())?.curmsgs() as usize)
    }

    /// `q.empty()`.
    pub fn is_empty(&self) -> Result<bool, QueueError> {
        Ok(self.len()? == 0)
    }

    /// `q.full()`.
    pub fn is_full(&self) -> Result<bool, QueueError> {
        Ok(self.len()? == self.capacity)
    }

    /// How many jobs the queue holds at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The longest job, in bytes.
    pub fn max_len(&self) -> usize {
        self.max_len
    }
}

impl Drop for WorkQueue {
    fn drop(&mut self) {
        // nix 0.32's MqdT does not close itself.
        if let Some(mqd) = self.mqd.take() {
            let _ = mq_close(mqd);
        }
        if let Some(name) = &self.name_to_unlink {
            let _ = mq_unlink(name.as_str());
        }
    }
}

/// `timeout` from now on CLOCK_REALTIME, the clock mq_timed* use.
fn deadline(timeout: Duration) -> Result<TimeSpec, QueueError> {
    Ok(clock_gettime(ClockId::CLOCK_REALTIME)? + TimeSpec::from(timeout))
}
