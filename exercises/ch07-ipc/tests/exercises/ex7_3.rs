//! Exercise 7.3: A bounded work queue with timeouts
//! Edit: exercises/ch07-ipc/src/work_queue.rs
//! Hint: Create with `mq_open(name, O_CREAT | O_EXCL | O_RDWR, mode, Some(&MqAttr::new(0, capacity, max_len, 0)))`, never `None` with O_CREAT. For timeouts use `mq_timedreceive` and `libc::mq_timedsend` with an absolute CLOCK_REALTIME deadline; `ETIMEDOUT` means Full or Empty, `EINTR` means try again. In `Drop`, `mq_close`, and `mq_unlink` in the creating handle only.

use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::mqueue::{MQ_OFlag, mq_close, mq_open, mq_unlink};
use nix::sys::stat::Mode;

#[cfg(not(feature = "reference"))]
use ex07_ipc::work_queue::{QueueError, WorkQueue};
#[cfg(feature = "reference")]
use ex07_ipc::work_queue_reference::{QueueError, WorkQueue};

const SHORT: Duration = Duration::from_millis(100);

/// A queue name of its own for each test, and for each run of the tests.
/// Dropping it removes the queue, if it is still there: a test that fails,
/// or code that forgets `mq_unlink`, leaves nothing in the kernel (queues
/// count against a per-user limit).
fn unique_name() -> Name {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    Name(format!("/ch07-ex73-{}-{n}", std::process::id()))
}

struct Name(String);

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Drop for Name {
    fn drop(&mut self) {
        let _ = mq_unlink(self.0.as_str());
    }
}

/// Whether the queue `name` exists in the kernel.
fn exists(name: &str) -> bool {
    match mq_open(name, MQ_OFlag::O_RDONLY, Mode::empty(), None) {
        Ok(queue) => {
            mq_close(queue).unwrap();
            true
        }
        Err(Errno::ENOENT) => false,
        Err(errno) => panic!("mq_open {name}: {errno}"),
    }
}

#[test]
fn jobs_come_out_in_order_with_their_bytes_intact() {
    let name = unique_name();
    let queue = WorkQueue::create(&name, 4, 64).unwrap();
    let jobs: [&[u8]; 3] = [b"resize photo", b"", "发送邮件".as_bytes()];
    for job in jobs {
        queue.put(job, SHORT).unwrap();
    }
    for job in jobs {
        assert_eq!(queue.get(SHORT).unwrap(), job);
    }
}

#[test]
fn size_full_and_empty_follow_the_jobs() {
    let name = unique_name();
    let queue = WorkQueue::create(&name, 2, 16).unwrap();
    assert_eq!((queue.capacity(), queue.max_len()), (2, 16));
    assert_eq!(queue.len(), Ok(0));
    assert_eq!((queue.is_empty(), queue.is_full()), (Ok(true), Ok(false)));
    queue.put(b"one", SHORT).unwrap();
    assert_eq!(
        (queue.len(), queue.is_empty(), queue.is_full()),
        (Ok(1), Ok(false), Ok(false))
    );
    queue.put(b"two", SHORT).unwrap();
    assert_eq!((queue.len(), queue.is_full()), (Ok(2), Ok(true)));
}

#[test]
fn put_on_a_full_queue_waits_for_the_timeout_then_fails_with_full() {
    let name = unique_name();
    let queue = WorkQueue::create(&name, 1, 16).unwrap();
    queue.put(b"first", SHORT).unwrap();
    let start = Instant::now();
    assert_eq!(queue.put(b"second", SHORT), Err(QueueError::Full));
    assert!(
        start.elapsed() >= SHORT,
        "gave up after {:?}",
        start.elapsed()
    );
    // A zero timeout does not wait at all: Python's block=False.
    assert_eq!(queue.put(b"second", Duration::ZERO), Err(QueueError::Full));
    assert_eq!(queue.len(), Ok(1));
}

#[test]
fn get_on_an_empty_queue_waits_for_the_timeout_then_fails_with_empty() {
    let name = unique_name();
    let queue = WorkQueue::create(&name, 1, 16).unwrap();
    let start = Instant::now();
    assert_eq!(queue.get(SHORT), Err(QueueError::Empty));
    assert!(
        start.elapsed() >= SHORT,
        "gave up after {:?}",
        start.elapsed()
    );
    assert_eq!(queue.get(Duration::ZERO), Err(QueueError::Empty));
}

#[test]
fn a_waiting_put_goes_through_as_soon_as_a_get_makes_room() {
    let name = unique_name();
    let queue = WorkQueue::create(&name, 1, 16).unwrap();
    queue.put(b"first", SHORT).unwrap();
    let producer = thread::spawn(move || {
        let other = WorkQueue::open(&name).unwrap();
        other.put(b"second", Duration::from_secs(20))
    });
    // The producer waits (or is about to) for room. Make some: its job
    // goes in then, long before its 20 s are up.
    assert_eq!(queue.get(SHORT), Ok(b"first".to_vec()));
    let start = Instant::now();
    assert_eq!(queue.get(Duration::from_secs(20)), Ok(b"second".to_vec()));
    assert_eq!(producer.join().unwrap(), Ok(()));
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_job_longer_than_max_len_is_refused_before_sending() {
    let name = unique_name();
    let queue = WorkQueue::create(&name, 2, 8).unwrap();
    assert_eq!(queue.put(b"123456789", SHORT), Err(QueueError::TooLong));
    queue.put(b"12345678", SHORT).unwrap();
    assert_eq!(queue.len(), Ok(1));
}

#[test]
fn another_handle_shares_the_queue_and_only_the_creator_removes_it() {
    let name = unique_name();
    let creator = WorkQueue::create(&name, 3, 32).unwrap();
    let other = WorkQueue::open(&name).unwrap();
    assert_eq!((other.capacity(), other.max_len()), (3, 32));
    other.put(b"from the other handle", SHORT).unwrap();
    drop(other); // closes its descriptor, leaves the queue
    assert!(exists(&name));
    assert_eq!(creator.get(SHORT), Ok(b"from the other handle".to_vec()));
    drop(creator);
    assert!(!exists(&name), "the creator's drop removes the queue");
    assert_eq!(
        WorkQueue::open(&name).err(),
        Some(QueueError::Os(Errno::ENOENT))
    );
}

#[test]
fn creating_an_existing_queue_fails() {
    let name = unique_name();
    let _first = WorkQueue::create(&name, 1, 16).unwrap();
    assert_eq!(
        WorkQueue::create(&name, 1, 16).err(),
        Some(QueueError::Os(Errno::EEXIST))
    );
}

#[test]
fn handles_do_not_leak_descriptors() {
    let name = unique_name();
    let _creator = WorkQueue::create(&name, 1, 16).unwrap();
    let before = std::fs::read_dir("/proc/self/fd").unwrap().count();
    for _ in 0..50 {
        drop(WorkQueue::open(&name).unwrap());
    }
    let after = std::fs::read_dir("/proc/self/fd").unwrap().count();
    // Other tests open descriptors at the same time; 50 leaked ones stand out.
    assert!(
        after < before + 25,
        "{before} descriptors before, {after} after"
    );
}
