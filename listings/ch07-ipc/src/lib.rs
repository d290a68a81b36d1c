//! What chapter 7's listings share: forking a child that runs a closure,
//! waiting for it, and memory that survives `fork` as shared memory.

use std::cell::UnsafeCell;
use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::ops::Deref;
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};
use nix::sys::time::TimeSpec;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::time::{ClockId, clock_gettime};
use nix::unistd::{ForkResult, Pid, fork};

// ANCHOR: fork_child
/// Forks. The child runs `child` and exits with the code it returns; the
/// parent gets the child's PID back at once.
///
/// Call it only while the process has a single thread: the child of `fork`
/// gets a copy of the calling thread only, and any lock another thread
/// held (the allocator's, stdout's) would stay locked in the child forever.
pub fn fork_child(child: impl FnOnce() -> i32) -> io::Result<Pid> {
    // Bytes still in stdout's buffer would be copied into the child, and
    // printed twice.
    io::stdout().flush()?;
    // SAFETY: the listings fork before they start any thread, so the child
    // is a complete copy of a single-threaded process.
    match unsafe { fork() }? {
        ForkResult::Parent { child } => Ok(child),
        ForkResult::Child => {
            // A panic must not unwind out of this function: the child would
            // go on running the parent's code. Catch it, and exit 101 as a
            // panicking `main` does.
            let code = panic::catch_unwind(AssertUnwindSafe(child)).unwrap_or(101);
            let _ = io::stdout().flush();
            // SAFETY: _exit(2) ends the process at once. Unlike `exit`, it
            // runs no destructors and no atexit handlers, which belong to
            // the parent.
            unsafe { libc::_exit(code) }
        }
    }
}
// ANCHOR_END: fork_child

// ANCHOR: wait_child
/// Waits for the child `pid` to end and returns its exit code. A child
/// killed by a signal is an error.
pub fn wait_child(pid: Pid) -> io::Result<i32> {
    loop {
        match waitpid(pid, None) {
            Ok(WaitStatus::Exited(_, code)) => return Ok(code),
            Ok(WaitStatus::Signaled(_, signal, _)) => {
                return Err(io::Error::other(format!("child {pid} killed by {signal}")));
            }
            Ok(_) | Err(Errno::EINTR) => continue, // stopped, continued, interrupted
            Err(errno) => return Err(errno.into()),
        }
    }
}
// ANCHOR_END: wait_child

// ANCHOR: shared
/// A `T` in an anonymous `MAP_SHARED` mapping: every process forked after
/// it is made sees the same memory, not a copy.
///
/// `T` should be plain data that is safe to share between threads, such as
/// atomics: other processes use it exactly as other threads would. A heap
/// pointer inside it (a `Vec`, a `String`) would point into one process's
/// private memory, and its destructor never runs.
pub struct Shared<T: Sync> {
    ptr: NonNull<T>,
}

impl<T: Sync> Shared<T> {
    pub fn new(value: T) -> io::Result<Self> {
        let len = NonZeroUsize::new(size_of::<T>()).expect("a type with a size");
        // SAFETY: a new anonymous mapping overlaps no memory we use. It is
        // page-aligned, which is enough for any T of this chapter.
        let ptr = unsafe {
            mmap_anonymous(
                None,
                len,
                ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                MapFlags::MAP_SHARED,
            )
        }?
        .cast::<T>();
        // SAFETY: the mapping is writable and large enough for a T.
        unsafe { ptr.as_ptr().write(value) };
        Ok(Shared { ptr })
    }
}

impl<T: Sync> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: `new` wrote a T there, and the mapping lives until drop.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T: Sync> Drop for Shared<T> {
    fn drop(&mut self) {
        let len = size_of::<T>();
        // SAFETY: we mapped exactly this range, and `&self` borrows of it
        // ended before drop. Other processes keep their own mappings.
        let _ = unsafe { munmap(self.ptr.cast(), len) };
    }
}
// ANCHOR_END: shared

// ANCHOR: names
/// A name for a POSIX IPC object of this process: `/ch07-<what>-<pid>`.
/// The PID keeps two runs from colliding, and lets a test find what a run
/// left behind.
pub fn ipc_name(what: &str) -> String {
    format!("/ch07-{what}-{}", std::process::id())
}

/// Removes the message queue `name` when dropped: when `main` returns,
/// also early through `?`, and when it panics. A queue lives in the kernel
/// until it is unlinked, whether or not any process still has it open.
pub struct UnlinkQueue(pub String);

impl Drop for UnlinkQueue {
    fn drop(&mut self) {
        let _ = nix::mqueue::mq_unlink(self.0.as_str());
    }
}

/// Removes the shared memory object `name` (`/dev/shm/<name>`) when dropped.
pub struct UnlinkShm(pub String);

impl Drop for UnlinkShm {
    fn drop(&mut self) {
        let _ = nix::sys::mman::shm_unlink(self.0.as_str());
    }
}
// ANCHOR_END: names

// ANCHOR: semaphore
/// A POSIX semaphore in shared memory, usable by every process forked
/// after it is made: `sem_init` with `pshared` = 1 in a `MAP_SHARED` page.
pub struct Semaphore {
    sem: Shared<SemCell>,
}

/// A `sem_t` that the C library changes behind Rust's back.
struct SemCell(UnsafeCell<libc::sem_t>);

// SAFETY: sem_wait, sem_post and friends are made to be called on one
// semaphore from many threads, and processes, at once.
unsafe impl Sync for SemCell {}

impl Semaphore {
    /// `Semaphore(value)` in Python.
    pub fn new(value: u32) -> io::Result<Self> {
        // SAFETY: all zero bytes are a valid (if meaningless) sem_t, and
        // sem_init overwrites them before any other use.
        let sem = Shared::new(SemCell(UnsafeCell::new(unsafe { std::mem::zeroed() })))?;
        // SAFETY: the sem_t lives in shared memory at its final address,
        // and pshared = 1 tells the C library that other processes use it.
        check(unsafe { libc::sem_init(sem.0.get(), 1, value) })?;
        Ok(Semaphore { sem })
    }

    /// `acquire()`: takes one, blocking while the count is 0.
    pub fn wait(&self) -> io::Result<()> {
        // SAFETY (for all the calls below): the sem_t was initialised by
        // `new` and lives as long as `self`.
        retry(|| unsafe { libc::sem_wait(self.sem.0.get()) })
    }

    /// `acquire(timeout=…)`: `Ok(false)` if no unit came in time.
    pub fn wait_timeout(&self, timeout: Duration) -> io::Result<bool> {
        let now = clock_gettime(ClockId::CLOCK_REALTIME)?;
        let deadline = now + TimeSpec::from(timeout);
        let sem = self.sem.0.get();
        match retry(|| unsafe { libc::sem_timedwait(sem, deadline.as_ref()) }) {
            Ok(()) => Ok(true),
            Err(err) if err.raw_os_error() == Some(libc::ETIMEDOUT) => Ok(false),
            Err(err) => Err(err),
        }
    }

    /// `acquire(block=False)`: `Ok(false)` if the count is 0.
    pub fn try_wait(&self) -> io::Result<bool> {
        match retry(|| unsafe { libc::sem_trywait(self.sem.0.get()) }) {
            Ok(()) => Ok(true),
            Err(err) if err.raw_os_error() == Some(libc::EAGAIN) => Ok(false),
            Err(err) => Err(err),
        }
    }

    /// `release()`: gives one back, waking one waiter if any.
    pub fn post(&self) -> io::Result<()> {
        check(unsafe { libc::sem_post(self.sem.0.get()) })
    }

    /// `get_value()`: the count now, stale as soon as it is returned.
    pub fn value(&self) -> io::Result<i32> {
        let mut value = 0;
        check(unsafe { libc::sem_getvalue(self.sem.0.get(), &mut value) })?;
        Ok(value)
    }
}

impl Drop for Semaphore {
    fn drop(&mut self) {
        // SAFETY: nobody waits on it any more: forked children end with
        // _exit, which never runs this, and the parent has waited for them.
        unsafe { libc::sem_destroy(self.sem.0.get()) };
    }
}

/// A C call's -1 as the `errno` it set.
fn check(result: libc::c_int) -> io::Result<()> {
    if result == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Calls `call` again while a signal interrupts it (`EINTR`).
fn retry(mut call: impl FnMut() -> libc::c_int) -> io::Result<()> {
    loop {
        match check(call()) {
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}
// ANCHOR_END: semaphore
