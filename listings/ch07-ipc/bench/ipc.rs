//! `cargo xtask bench ipc`: throughput and round-trip latency of each IPC
//! mechanism of chapter 7, between a parent and a forked child.
//!
//! Throughput: the parent sends 128 MiB in messages of 64 KiB (8 KiB for a
//! message queue, the most an unprivileged queue may carry) and the child
//! receives them; the clock runs from the child's "ready" to its "done".
//! Round trip: the parent sends one byte, the child sends it back, 10 000
//! times. Each is measured twice: with parent and child pinned to one CPU,
//! and pinned to two different CPUs. Each measurement forks a fresh child;
//! the contenders alternate, five rounds each, and the table shows medians.
//! `--quick` runs tiny counts, for the chapter's tests.

use std::io::{self, Read, Write};
use std::mem::ManuallyDrop;
use std::net::{TcpListener, TcpStream};
use std::num::NonZeroUsize;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::os::unix::net::{UnixDatagram, UnixStream};
use std::process;
use std::ptr::{self, NonNull};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::{Duration, Instant};

use benchkit::{Options, Table, alternate, median};
use ch07_ipc::{Semaphore, fork_child, wait_child};
use nix::errno::Errno;
use nix::mqueue::{MQ_OFlag, MqAttr, MqdT, mq_open, mq_receive, mq_send, mq_unlink};
use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, kill, sigprocmask};
use nix::sys::stat::Mode;
use nix::unistd::{Pid, getppid};

const COLUMNS: [&str; 4] = [
    "throughput, 1 CPU (MB/s)",
    "throughput, 2 CPUs (MB/s)",
    "round trip, 1 CPU (µs)",
    "round trip, 2 CPUs (µs)",
];

#[derive(Clone, Copy)]
struct Sizes {
    total: usize,
    trips: usize,
}

/// Where the parent and the child run: the same CPU, or two different
/// ones. Unpinned, the scheduler picks, and results mix the two.
#[derive(Clone, Copy)]
struct Placement {
    parent: usize,
    child: usize,
}

/// The contenders.
#[derive(Clone, Copy)]
enum Mechanism {
    Pipe,
    SocketPair,
    UnixDatagram,
    MessageQueue,
    SharedMemory,
    TcpLoopback,
    Signals,
}

use Mechanism::*;

const ALL: [(Mechanism, &str); 7] = [
    (Pipe, "pipe"),
    (SocketPair, "socketpair (stream)"),
    (UnixDatagram, "Unix datagram socket"),
    (MessageQueue, "POSIX message queue (8 KiB)"),
    (SharedMemory, "shared memory + semaphores"),
    (TcpLoopback, "TCP over loopback"),
    (Signals, "signals (round trip only)"),
];

fn main() {
    let opts = Options::from_args();
    let sizes = opts.pick(
        Sizes {
            total: 128 << 20,
            trips: 10_000,
        },
        Sizes {
            total: 1 << 20,
            trips: 100,
        },
    );
    let cpus = allowed_cpus().unwrap_or_else(|err| {
        eprintln!("bench_ipc: sched_getaffinity: {err}");
        process::exit(1)
    });
    let one = Some(Placement {
        parent: cpus[0],
        child: cpus[0],
    });
    let two = cpus.get(1).map(|&other| Placement {
        parent: cpus[0],
        child: other,
    });
    if two.is_none() {
        eprintln!("bench_ipc: only one CPU available; skipping the 2-CPU columns");
    }
    let mut table = Table::new("mechanism", &COLUMNS);
    for (_, name) in ALL {
        table.skip(name);
    }
    let mechanisms: Vec<Mechanism> = ALL.iter().map(|(m, _)| *m).collect();
    let runs: [(&str, Option<Placement>, Measure); 4] = [
        (COLUMNS[0], one, throughput),
        (COLUMNS[1], two, throughput),
        (COLUMNS[2], one, round_trip),
        (COLUMNS[3], two, round_trip),
    ];
    for (column, placement, measure) in runs {
        let Some(placement) = placement else { continue };
        eprintln!("bench_ipc: {column}");
        let samples = alternate(&mechanisms, opts.rounds, |m| {
            measure(*m, sizes, placement).unwrap_or_else(|err| {
                eprintln!("bench_ipc: {err}");
                process::exit(1)
            })
        });
        for ((_, name), mut values) in ALL.iter().zip(samples) {
            if values.iter().all(|v| v.is_finite()) {
                table.set(name, column, median(&mut values));
            }
        }
    }
    table.print(opts.rounds);
}

type Measure = fn(Mechanism, Sizes, Placement) -> io::Result<f64>;

/// The CPUs this process may run on.
fn allowed_cpus() -> nix::Result<Vec<usize>> {
    let set = sched_getaffinity(Pid::from_raw(0))?;
    Ok((0..CpuSet::count())
        .filter(|&cpu| set.is_set(cpu).unwrap_or(false))
        .collect())
}

/// Pins the calling process to `cpu`.
fn pin(cpu: usize) -> io::Result<()> {
    let mut set = CpuSet::new();
    set.set(cpu)?;
    sched_setaffinity(Pid::from_raw(0), &set)?;
    Ok(())
}

// --- the measurements -------------------------------------------------------

/// MB/s from the parent to a forked child, or NaN for signals.
fn throughput(mechanism: Mechanism, sizes: Sizes, placement: Placement) -> io::Result<f64> {
    let message = match mechanism {
        MessageQueue => 8 << 10,
        _ => 64 << 10,
    };
    let (mut reader, mut writer): (Box<dyn Read>, Box<dyn Write>) = match mechanism {
        Pipe => {
            let (reader, writer) = io::pipe()?;
            (Box::new(reader), Box::new(writer))
        }
        SocketPair => {
            let (a, b) = UnixStream::pair()?;
            (Box::new(a), Box::new(b))
        }
        UnixDatagram => {
            let (a, b) = UnixDatagram::pair()?;
            (Box::new(Datagrams(a)), Box::new(Datagrams(b)))
        }
        MessageQueue => {
            let queue = Queue::new(message)?;
            (Box::new(queue.try_clone()?), Box::new(queue))
        }
        SharedMemory => {
            let ring = Ring::new(4, message)?;
            (Box::new(ring.clone()), Box::new(ring))
        }
        TcpLoopback => {
            let (a, b) = tcp_pair()?;
            (Box::new(a), Box::new(b))
        }
        Signals => return Ok(f64::NAN),
    };
    let count = sizes.total / message;
    let elapsed = timed(
        placement,
        || {
            let mut buf = vec![0u8; message];
            let mut received = 0;
            while received < count * message {
                match reader.read(&mut buf)? {
                    0 => return Err(io::Error::other("end of stream")),
                    n => received += n,
                }
            }
            Ok(())
        },
        |_child| {
            let chunk = vec![7u8; message];
            for _ in 0..count {
                writer.write_all(&chunk)?;
            }
            Ok(())
        },
    )?;
    Ok((count * message) as f64 / elapsed.as_secs_f64() / 1e6)
}

/// Microseconds for one byte to go to a forked child and come back.
fn round_trip(mechanism: Mechanism, sizes: Sizes, placement: Placement) -> io::Result<f64> {
    type Duplex = Box<dyn ReadWrite>;
    let (mut parent, mut child): (Duplex, Duplex) = match mechanism {
        Pipe => {
            let (down_r, down_w) = io::pipe()?;
            let (up_r, up_w) = io::pipe()?;
            (Box::new(Pair(up_r, down_w)), Box::new(Pair(down_r, up_w)))
        }
        SocketPair => {
            let (a, b) = UnixStream::pair()?;
            (Box::new(a), Box::new(b))
        }
        UnixDatagram => {
            let (a, b) = UnixDatagram::pair()?;
            (Box::new(Datagrams(a)), Box::new(Datagrams(b)))
        }
        MessageQueue => {
            let (down, up) = (Queue::new(1)?, Queue::new(1)?);
            let parent = Pair(up.try_clone()?, down.try_clone()?);
            (Box::new(parent), Box::new(Pair(down, up)))
        }
        SharedMemory => {
            let (down, up) = (Ring::new(1, 1)?, Ring::new(1, 1)?);
            (
                Box::new(Pair(up.clone(), down.clone())),
                Box::new(Pair(down, up)),
            )
        }
        TcpLoopback => {
            let (a, b) = tcp_pair()?;
            (Box::new(a), Box::new(b))
        }
        Signals => return signal_round_trip(sizes.trips, placement),
    };
    let trips = sizes.trips;
    let elapsed = timed(
        placement,
        || {
            let mut byte = [0u8; 1];
            for _ in 0..trips {
                child.read_exact(&mut byte)?;
                child.write_all(&byte)?;
            }
            Ok(())
        },
        |_child| {
            let mut byte = [1u8; 1];
            for _ in 0..trips {
                parent.write_all(&byte)?;
                parent.read_exact(&mut byte)?;
            }
            Ok(())
        },
    )?;
    Ok(elapsed.as_secs_f64() * 1e6 / trips as f64)
}

/// Round trips of SIGUSR1, parent to child and back. Both processes block
/// the signal and take it with sigtimedwait(2), so no handler runs.
fn signal_round_trip(trips: usize, placement: Placement) -> io::Result<f64> {
    let usr1 = SigSet::from(Signal::SIGUSR1);
    let mut old = SigSet::empty();
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&usr1), Some(&mut old))?; // the child inherits it
    let elapsed = timed(
        placement,
        || {
            let parent = getppid();
            for _ in 0..trips {
                take(&usr1)?;
                kill(parent, Signal::SIGUSR1)?;
            }
            Ok(())
        },
        |child| {
            for _ in 0..trips {
                kill(child, Signal::SIGUSR1)?;
                take(&usr1)?;
            }
            Ok(())
        },
    );
    sigprocmask(SigmaskHow::SIG_SETMASK, Some(&old), None)?;
    Ok(elapsed?.as_secs_f64() * 1e6 / trips as f64)
}

/// Waits at most 10 s for a signal of `set` to be pending, and takes it.
fn take(set: &SigSet) -> io::Result<()> {
    let timeout = libc::timespec {
        tv_sec: 10,
        tv_nsec: 0,
    };
    loop {
        // SAFETY: a valid set and timeout; we want no siginfo.
        match unsafe { libc::sigtimedwait(set.as_ref(), ptr::null_mut(), &timeout) } {
            -1 if Errno::last() == Errno::EINTR => continue,
            -1 => return Err(io::Error::last_os_error()),
            _ => return Ok(()),
        }
    }
}

/// Forks `child`; once it runs, times `parent` (given the child's PID)
/// until the child has finished too. A pipe carries "ready" and "done".
fn timed(
    placement: Placement,
    child: impl FnOnce() -> io::Result<()>,
    parent: impl FnOnce(Pid) -> io::Result<()>,
) -> io::Result<Duration> {
    pin(placement.parent)?;
    let (mut status, report) = io::pipe()?;
    let pid = fork_child(|| {
        let mut report = &report;
        let outcome = pin(placement.child)
            .and_then(|()| report.write_all(b"R"))
            .and_then(|()| child());
        let done = report.write_all(if outcome.is_ok() { b"D" } else { b"E" });
        if outcome.is_ok() && done.is_ok() {
            0
        } else {
            1
        }
    })?;
    drop(report);
    let mut byte = [0u8; 1];
    status.read_exact(&mut byte)?; // "R": the child runs
    let start = Instant::now();
    let sent = parent(pid);
    let done = status.read_exact(&mut byte);
    let elapsed = start.elapsed();
    wait_child(pid)?;
    sent?;
    done?;
    match &byte {
        b"D" => Ok(elapsed),
        _ => Err(io::Error::other("the child failed")),
    }
}

// --- adapters: every mechanism as Read and Write ----------------------------

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// Reads from one end, writes to another: two pipes as one duplex channel.
struct Pair<R, W>(R, W);

impl<R: Read, W> Read for Pair<R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl<R, W: Write> Write for Pair<R, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.1.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.1.flush()
    }
}

/// One datagram per write, one per read.
struct Datagrams(UnixDatagram);

impl Read for Datagrams {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.recv(buf)
    }
}

impl Write for Datagrams {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.send(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A POSIX message queue, unlinked as soon as it is open: the descriptors
/// keep it alive, and nothing is left behind even if the suite dies.
struct Queue {
    fd: OwnedFd, // nix 0.32's MqdT does not close on drop; OwnedFd does
    msgsize: usize,
}

static QUEUES: AtomicUsize = AtomicUsize::new(0);

impl Queue {
    fn new(msgsize: usize) -> io::Result<Queue> {
        let name = format!(
            "/ch07-bench-{}-{}",
            process::id(),
            QUEUES.fetch_add(1, SeqCst)
        );
        let attr = MqAttr::new(0, 10, msgsize as _, 0);
        let flags = MQ_OFlag::O_CREAT | MQ_OFlag::O_EXCL | MQ_OFlag::O_RDWR;
        let mode = Mode::S_IRUSR | Mode::S_IWUSR;
        let mqd = mq_open(name.as_str(), flags, mode, Some(&attr))?;
        mq_unlink(name.as_str())?;
        // SAFETY: on Linux a message queue descriptor is a file descriptor.
        let fd = unsafe { OwnedFd::from_raw_fd(mqd.into_raw_fd()) };
        Ok(Queue { fd, msgsize })
    }

    fn try_clone(&self) -> io::Result<Queue> {
        let fd = self.fd.try_clone()?;
        Ok(Queue {
            fd,
            msgsize: self.msgsize,
        })
    }

    /// The descriptor as nix's type, borrowed: wrapped in ManuallyDrop so
    /// that it is never closed twice.
    fn mqd(&self) -> ManuallyDrop<MqdT> {
        // SAFETY: `fd` is an open message queue descriptor.
        ManuallyDrop::new(unsafe { MqdT::from_raw_fd(self.fd.as_raw_fd()) })
    }
}

impl Read for Queue {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match mq_receive(&self.mqd(), buf, &mut 0) {
                Err(Errno::EINTR) => continue,
                other => return Ok(other?),
            }
        }
    }
}

impl Write for Queue {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(self.msgsize);
        loop {
            match mq_send(&self.mqd(), &buf[..n], 0) {
                Err(Errno::EINTR) => continue,
                other => return other.map(|()| n).map_err(io::Error::from),
            }
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A ring of `slots` message slots in shared memory: `filled` counts
/// messages ready to read, `free` the slots ready to write.
#[derive(Clone)]
struct Ring {
    state: Rc<RingState>,
    next: usize,
}

struct RingState {
    filled: Semaphore,
    free: Semaphore,
    slots: usize,
    slot_size: usize,
    /// Each slot: a usize length, then `slot_size` bytes.
    memory: NonNull<u8>,
}

impl RingState {
    fn len(&self) -> usize {
        self.slots * (self.slot_size + 8)
    }
}

impl Drop for RingState {
    fn drop(&mut self) {
        // SAFETY: the mapping of `new`; the child using it has been reaped.
        let _ = unsafe { munmap(self.memory.cast(), self.len()) };
    }
}

impl Ring {
    fn new(slots: usize, slot_size: usize) -> io::Result<Ring> {
        let len = NonZeroUsize::new(slots * (slot_size + 8)).expect("a size");
        let prot = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
        // SAFETY: a new anonymous mapping overlaps nothing.
        let memory = unsafe { mmap_anonymous(None, len, prot, MapFlags::MAP_SHARED) }?.cast();
        Ok(Ring {
            state: Rc::new(RingState {
                filled: Semaphore::new(0)?,
                free: Semaphore::new(slots as u32)?,
                slots,
                slot_size,
                memory,
            }),
            next: 0,
        })
    }

    fn slot(&mut self) -> *mut u8 {
        let ring = &self.state;
        let at = self.next * (ring.slot_size + 8);
        self.next = (self.next + 1) % ring.slots;
        // SAFETY: `at` is the start of a slot inside the mapping.
        unsafe { ring.memory.as_ptr().add(at) }
    }
}

impl Read for Ring {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.state.filled.wait()?;
        let slot = self.slot();
        // SAFETY: the writer filled this slot before posting `filled`, and
        // will not touch it again before we post `free`.
        let n = unsafe {
            let len = slot.cast::<usize>().read_unaligned().min(buf.len());
            std::ptr::copy_nonoverlapping(slot.add(8), buf.as_mut_ptr(), len);
            len
        };
        self.state.free.post()?;
        Ok(n)
    }
}

impl Write for Ring {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.state.free.wait()?;
        let n = buf.len().min(self.state.slot_size);
        let slot = self.slot();
        // SAFETY: `free` says the reader is done with this slot.
        unsafe {
            slot.cast::<usize>().write_unaligned(n);
            std::ptr::copy_nonoverlapping(buf.as_ptr(), slot.add(8), n);
        }
        self.state.filled.post()?;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Both ends of a TCP connection over loopback, Nagle off.
fn tcp_pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    Ok((client, server))
}
