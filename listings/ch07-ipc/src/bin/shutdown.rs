//! `shutdown`: a worker that takes jobs from its own POSIX message queue
//! until SIGTERM or SIGINT, then removes the queue and exits 0. SIGKILL
//! cannot be caught: after it, the queue stays behind.

use std::io;
use std::thread;

use ch07_ipc::{UnlinkQueue, ipc_name};
use nix::mqueue::{MQ_OFlag, MqAttr, mq_close, mq_open, mq_receive, mq_send};
use nix::sys::stat::Mode;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use signal_hook::low_level::signal_name;

/// Jobs come with priority 0; the stop message jumps the queue.
const STOP: u32 = 1;

fn main() -> io::Result<()> {
    // ANCHOR: setup
    let name = ipc_name("jobs");
    let attr = MqAttr::new(0, 8, 128, 0);
    let flags = MQ_OFlag::O_CREAT | MQ_OFlag::O_EXCL | MQ_OFlag::O_RDWR;
    let queue = mq_open(
        name.as_str(),
        flags,
        Mode::S_IRUSR | Mode::S_IWUSR,
        Some(&attr),
    )?;
    let _unlink = UnlinkQueue(name.clone()); // runs on a clean exit only
    // ANCHOR_END: setup

    // ANCHOR: signals
    // signal-hook installs a handler that only writes a byte to a pipe;
    // this thread reads the pipe and does the real work, in normal code.
    let mut signals = Signals::new([SIGTERM, SIGINT])?;
    let stopper = mq_open(name.as_str(), MQ_OFlag::O_WRONLY, Mode::empty(), None)?;
    thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let text = signal_name(signal).unwrap_or("a signal");
            let _ = mq_send(&stopper, text.as_bytes(), STOP); // wake the loop
        }
    });
    println!(
        "worker {}: jobs on {name}; SIGTERM stops me",
        std::process::id()
    );
    // ANCHOR_END: signals

    // ANCHOR: work
    let mut buf = [0u8; 128];
    let mut priority = 0;
    loop {
        let n = mq_receive(&queue, &mut buf, &mut priority)?;
        let text = String::from_utf8_lossy(&buf[..n]);
        if priority == STOP {
            println!("{text}: finishing up");
            break;
        }
        println!("job {text:?} done");
    }
    mq_close(queue)?;
    println!("removing {name}");
    Ok(()) // `_unlink` drops here: mq_unlink
    // ANCHOR_END: work
}
