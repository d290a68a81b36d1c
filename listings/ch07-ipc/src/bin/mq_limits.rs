//! `mq_limits`: the system's limits on POSIX message queues, and what
//! happens when a queue asks for more.

use std::fs;
use std::io;

use ch07_ipc::{UnlinkQueue, ipc_name};
use nix::mqueue::{MQ_OFlag, MqAttr, mq_close, mq_open};
use nix::sys::resource::{Resource, getrlimit, setrlimit};
use nix::sys::stat::Mode;

/// A number from /proc/sys/fs/mqueue.
fn limit(name: &str) -> io::Result<i64> {
    let text = fs::read_to_string(format!("/proc/sys/fs/mqueue/{name}"))?;
    text.trim().parse().map_err(io::Error::other)
}

// ANCHOR: try_create
/// Tries to create a queue of `maxmsg` messages of `msgsize` bytes, and
/// removes it again.
fn try_create(maxmsg: i64, msgsize: i64) -> String {
    let name = ipc_name("limits");
    let attr = MqAttr::new(0, maxmsg, msgsize, 0);
    let flags = MQ_OFlag::O_CREAT | MQ_OFlag::O_EXCL | MQ_OFlag::O_RDONLY;
    match mq_open(name.as_str(), flags, Mode::S_IRUSR, Some(&attr)) {
        Ok(queue) => {
            let _unlink = UnlinkQueue(name);
            let _ = mq_close(queue);
            "created".to_owned()
        }
        Err(errno) => format!("{errno}"),
    }
}
// ANCHOR_END: try_create

fn main() -> io::Result<()> {
    // ANCHOR: main
    let (msg_max, msgsize_max) = (limit("msg_max")?, limit("msgsize_max")?);
    let queues_max = limit("queues_max")?;
    print!("/proc/sys/fs/mqueue: msg_max {msg_max}, msgsize_max {msgsize_max}, ");
    println!("queues_max {queues_max}");
    let (soft, _hard) = getrlimit(Resource::RLIMIT_MSGQUEUE)?;
    println!("RLIMIT_MSGQUEUE: {soft} bytes for all queues of this user");

    let at_limit = try_create(msg_max, msgsize_max);
    println!("maxmsg {msg_max}, msgsize {msgsize_max}: {at_limit}");
    println!("maxmsg {}: {}", msg_max + 1, try_create(msg_max + 1, 64));
    println!(
        "msgsize {}: {}",
        msgsize_max + 1,
        try_create(1, msgsize_max + 1)
    );

    setrlimit(Resource::RLIMIT_MSGQUEUE, 65_536, 65_536)?;
    let small = try_create(msg_max, msgsize_max);
    print!("with RLIMIT_MSGQUEUE 65536: ");
    println!("maxmsg {msg_max}, msgsize {msgsize_max}: {small}");
    // ANCHOR_END: main
    Ok(())
}
