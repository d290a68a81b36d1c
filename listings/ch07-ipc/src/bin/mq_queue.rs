//! `mq_queue`: Python's `Queue` API, call by call, on a POSIX message queue:
//! put and get, blocking, non-blocking and with a timeout, full, empty and
//! qsize, priorities, and the size limit of a message.

use std::fmt::Debug;
use std::io;
use std::os::fd::AsRawFd;
use std::time::Duration;

use ch07_ipc::{UnlinkQueue, ipc_name};
use nix::errno::Errno;
use nix::mqueue::{
    MQ_OFlag, MqAttr, MqdT, mq_close, mq_getattr, mq_open, mq_receive, mq_remove_nonblock, mq_send,
    mq_set_nonblock, mq_timedreceive,
};
use nix::sys::stat::Mode;
use nix::sys::time::TimeSpec;
use nix::time::{ClockId, clock_gettime};

// ANCHOR: deadline
/// `timeout` from now, as the absolute CLOCK_REALTIME time that
/// `mq_timedsend` and `mq_timedreceive` take.
fn deadline(timeout: Duration) -> nix::Result<TimeSpec> {
    Ok(clock_gettime(ClockId::CLOCK_REALTIME)? + TimeSpec::from(timeout))
}

/// `mq_timedsend(3)`, which nix 0.32 lacks.
fn timed_send(queue: &MqdT, message: &[u8], timeout: Duration) -> nix::Result<()> {
    let until = deadline(timeout)?;
    // SAFETY: the descriptor is open, the pointer and length describe
    // `message`, and `until` is a valid timespec.
    let res = unsafe {
        let (ptr, len) = (message.as_ptr().cast(), message.len());
        libc::mq_timedsend(queue.as_raw_fd(), ptr, len, 0, until.as_ref())
    };
    Errno::result(res).map(drop)
}
// ANCHOR_END: deadline

// ANCHOR: outcome
/// The name of the error, such as `EAGAIN`, or what succeeded.
fn outcome(result: nix::Result<impl Debug>) -> String {
    match result {
        Ok(value) => format!("Ok({value:?})"),
        Err(errno) => format!("{errno:?}"),
    }
}
// ANCHOR_END: outcome

// ANCHOR: state
/// `q.qsize()`, `q.empty()` and `q.full()` in one line.
fn state(queue: &MqdT) -> nix::Result<String> {
    let attr = mq_getattr(queue)?;
    let (count, max) = (attr.curmsgs(), attr.maxmsg());
    Ok(format!(
        "qsize {count}, empty {}, full {}",
        count == 0,
        count == max
    ))
}
// ANCHOR_END: state

fn main() -> io::Result<()> {
    // ANCHOR: open
    let name = ipc_name("queue"); // "/ch07-queue-<pid>"
    let attr = MqAttr::new(0, 3, 64, 0); // flags, maxmsg, msgsize, curmsgs
    let flags = MQ_OFlag::O_CREAT | MQ_OFlag::O_EXCL | MQ_OFlag::O_RDWR;
    let queue = mq_open(
        name.as_str(),
        flags,
        Mode::S_IRUSR | Mode::S_IWUSR,
        Some(&attr),
    )?;
    let _unlink = UnlinkQueue(name); // mq_unlink when main returns, even by `?`
    let attr = mq_getattr(&queue)?;
    println!(
        "Queue(3): maxmsg {}, msgsize {}",
        attr.maxmsg(),
        attr.msgsize()
    );
    println!("{}", state(&queue)?);
    // ANCHOR_END: open

    // ANCHOR: put
    for message in ["first", "second", "third"] {
        mq_send(&queue, message.as_bytes(), 0)?; // q.put(message)
    }
    println!("put 3: {}", state(&queue)?);

    mq_set_nonblock(&queue)?; // q.put(x, block=False)
    let refused = outcome(mq_send(&queue, b"fourth", 0));
    println!("put, block=False: {refused} (Python: queue.Full)");
    mq_remove_nonblock(&queue)?; // q.put(x, timeout=0.2)
    let refused = outcome(timed_send(&queue, b"fourth", Duration::from_millis(200)));
    println!("put, timeout=0.2: {refused} (Python: queue.Full)");
    // ANCHOR_END: put

    // ANCHOR: get
    let mut buf = [0u8; 64]; // must hold msgsize bytes, or EMSGSIZE
    let mut priority = 0;
    let n = mq_receive(&queue, &mut buf, &mut priority)?; // q.get()
    println!("get: {:?}", String::from_utf8_lossy(&buf[..n]));

    mq_send(&queue, b"urgent", 7)?; // priority 7: jumps the queue
    for _ in 0..3 {
        let n = mq_receive(&queue, &mut buf, &mut priority)?;
        println!(
            "get: {:?} (priority {priority})",
            String::from_utf8_lossy(&buf[..n])
        );
    }
    println!("{}", state(&queue)?);

    let until = deadline(Duration::from_millis(200))?;
    let refused = outcome(mq_timedreceive(&queue, &mut buf, &mut priority, &until));
    println!("get, timeout=0.2: {refused} (Python: queue.Empty)");
    // ANCHOR_END: get

    // ANCHOR: limits
    let refused = outcome(mq_send(&queue, &[b'x'; 65], 0));
    println!("put 65 bytes: {refused}, msgsize is 64");
    mq_send(&queue, b"short", 0)?;
    let refused = outcome(mq_receive(&queue, &mut [0u8; 63], &mut priority));
    println!("get into 63 bytes: {refused}, even for \"short\"");
    mq_close(queue)?; // q.close(); `_unlink` then removes the queue itself
    // ANCHOR_END: limits
    Ok(())
}
