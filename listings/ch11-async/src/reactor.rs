//! The reactor: one epoll instance per thread that remembers which task
//! waits for which socket (and which for a timer), sleeps in `epoll_wait`
//! when no task is ready, and wakes the tasks whose socket became ready.
//! [`Async`] wraps a non-blocking socket so that `.await` on it parks the
//! task here instead of blocking the thread.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::{Future, poll_fn};
use std::io;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::epoll::{
    Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout,
};

/// Which way a task waits on a socket.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Direction {
    Read,
    Write,
}

// ANCHOR: reactor
/// The tasks waiting on one descriptor: at most one each way.
#[derive(Default)]
struct Waiters {
    read: Option<Waker>,
    write: Option<Waker>,
}

struct Reactor {
    epoll: Epoll,
    waiters: HashMap<RawFd, Waiters>,
    /// Pending `sleep`s by number: when each is due, and its task's waker.
    timers: HashMap<u64, (Instant, Waker)>,
    next_timer: u64,
}

thread_local! {
    static REACTOR: RefCell<Reactor> = RefCell::new(Reactor::new());
}

impl Reactor {
    fn new() -> Reactor {
        let flags = EpollCreateFlags::EPOLL_CLOEXEC;
        Reactor {
            epoll: Epoll::new(flags).expect("epoll_create1 failed"),
            waiters: HashMap::new(),
            timers: HashMap::new(),
            next_timer: 0,
        }
    }
}

impl Reactor {
    /// Asks epoll for the events someone waits for, once: EPOLLONESHOT
    /// disables the descriptor after one report (even of a hang-up), so a
    /// socket nobody waits on cannot make `epoll_wait` return in a loop.
    fn arm(&self, fd: RawFd) -> io::Result<()> {
        let waiters = &self.waiters[&fd];
        let mut flags = EpollFlags::EPOLLONESHOT;
        if waiters.read.is_some() {
            flags |= EpollFlags::EPOLLIN | EpollFlags::EPOLLRDHUP;
        }
        if waiters.write.is_some() {
            flags |= EpollFlags::EPOLLOUT;
        }
        // SAFETY of borrow_raw: the descriptor is registered, so the Async
        // that owns it is alive (it deregisters before it closes).
        let fd_ref = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        let mut event = EpollEvent::new(flags, fd as u64);
        self.epoll.modify(fd_ref, &mut event)?;
        Ok(())
    }
}
// ANCHOR_END: reactor

// ANCHOR: wait
/// Sleeps in `epoll_wait` until a socket some task waits for is ready or
/// the earliest timer is due, then wakes those tasks. The executor calls
/// this when its run queue is empty.
pub fn wait() -> io::Result<()> {
    let mut ready: Vec<Waker> = Vec::new();
    REACTOR.with_borrow_mut(|reactor| -> io::Result<()> {
        let waiting = reactor
            .waiters
            .values()
            .any(|w| w.read.is_some() || w.write.is_some());
        assert!(
            waiting || !reactor.timers.is_empty(),
            "no task is ready or waits for a socket or a timer: none can run"
        );
        // Round up: a timeout of 0 ms before a due time would spin.
        let earliest = reactor.timers.values().map(|(due, _)| *due).min();
        let timeout = match earliest {
            Some(due) => {
                let left = due.saturating_duration_since(Instant::now());
                let ms = left.as_micros().div_ceil(1000).min(i32::MAX as u128);
                EpollTimeout::try_from(ms as i32).unwrap_or(EpollTimeout::MAX)
            }
            None => EpollTimeout::NONE,
        };
        let mut events = [EpollEvent::empty(); 64];
        let count = match reactor.epoll.wait(&mut events, timeout) {
            Ok(count) => count,
            Err(Errno::EINTR) => 0,
            Err(err) => return Err(err.into()),
        };
        for event in &events[..count] {
            let fd = event.data() as RawFd;
            let flags = event.events();
            let Some(waiters) = reactor.waiters.get_mut(&fd) else {
                continue;
            };
            // A hang-up or an error wakes both ways: the next read or write
            // returns what happened.
            let failed =
                flags.intersects(EpollFlags::EPOLLHUP | EpollFlags::EPOLLERR);
            if failed
                || flags
                    .intersects(EpollFlags::EPOLLIN | EpollFlags::EPOLLRDHUP)
            {
                ready.extend(waiters.read.take());
            }
            if failed || flags.contains(EpollFlags::EPOLLOUT) {
                ready.extend(waiters.write.take());
            }
            // One-shot: re-arm for whoever still waits (the other way).
            let still_waiting =
                waiters.read.is_some() || waiters.write.is_some();
            if still_waiting {
                reactor.arm(fd)?;
            }
        }
        let now = Instant::now();
        reactor.timers.retain(|_, (due, waker)| {
            if *due <= now {
                ready.push(waker.clone());
                false
            } else {
                true
            }
        });
        Ok(())
    })?;
    for waker in ready {
        waker.wake();
    }
    Ok(())
}
// ANCHOR_END: wait

// ANCHOR: async
/// A non-blocking socket registered with this thread's reactor.
pub struct Async<T: AsFd> {
    io: T,
}

impl<T: AsFd> Async<T> {
    /// Registers `io`, which must already be in non-blocking mode.
    pub fn new(io: T) -> io::Result<Async<T>> {
        let fd = io.as_fd().as_raw_fd();
        REACTOR.with_borrow_mut(|reactor| {
            // No events yet: the socket is armed when a task waits on it.
            let event = EpollEvent::new(EpollFlags::EPOLLONESHOT, fd as u64);
            reactor.epoll.add(io.as_fd(), event)?;
            reactor.waiters.insert(fd, Waiters::default());
            Ok::<_, io::Error>(())
        })?;
        Ok(Async { io })
    }

    pub fn get_ref(&self) -> &T {
        &self.io
    }

    /// Runs `op` (a read, a write, an accept) until it does not fail with
    /// `WouldBlock`; after each `WouldBlock` the task waits in the reactor
    /// until the socket is ready in `direction`.
    pub async fn io_with<R>(
        &self,
        direction: Direction,
        mut op: impl FnMut(&T) -> io::Result<R>,
    ) -> io::Result<R> {
        let fd = self.io.as_fd().as_raw_fd();
        poll_fn(|cx| match op(&self.io) {
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                REACTOR.with_borrow_mut(|reactor| {
                    let waiters =
                        reactor.waiters.get_mut(&fd).expect("registered");
                    let slot = match direction {
                        Direction::Read => &mut waiters.read,
                        Direction::Write => &mut waiters.write,
                    };
                    *slot = Some(cx.waker().clone());
                    reactor.arm(fd)
                })?;
                // Level-triggered: if the socket became ready between `op`
                // and `arm`, the next epoll_wait reports it at once.
                Poll::Pending
            }
            result => Poll::Ready(result),
        })
        .await
    }
}

impl<T: AsFd> Drop for Async<T> {
    /// Deregisters before `io` is dropped and closed.
    fn drop(&mut self) {
        let fd = self.io.as_fd().as_raw_fd();
        REACTOR.with_borrow_mut(|reactor| {
            reactor.waiters.remove(&fd);
            let _ = reactor.epoll.delete(self.io.as_fd());
        });
    }
}
// ANCHOR_END: async

// ANCHOR: sleep
/// Completes once `duration` has passed; the reactor's `epoll_wait`
/// timeout wakes the task.
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        due: Instant::now() + duration,
        timer: None,
    }
}

/// The future `sleep` returns: its due time, and its number in the
/// reactor's timers once it has been polled.
pub struct Sleep {
    due: Instant,
    timer: Option<u64>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.due {
            self.cancel(); // if `wait` has not fired the timer yet
            return Poll::Ready(());
        }
        let due = self.due;
        REACTOR.with_borrow_mut(|reactor| {
            // One timer per sleep, however often it is polled: a poll
            // only refreshes the waker.
            let timer = *self.timer.get_or_insert_with(|| {
                reactor.next_timer += 1;
                reactor.next_timer
            });
            reactor.timers.insert(timer, (due, cx.waker().clone()));
        });
        Poll::Pending
    }
}

impl Sleep {
    fn cancel(&mut self) {
        if let Some(timer) = self.timer.take() {
            let _ = REACTOR
                .try_with(|reactor| reactor.borrow_mut().timers.remove(&timer));
        }
    }
}

impl Drop for Sleep {
    /// A sleep dropped before it is due (cancelled, as by a timeout that
    /// lost the race) takes its timer with it.
    fn drop(&mut self) {
        self.cancel();
    }
}
// ANCHOR_END: sleep
