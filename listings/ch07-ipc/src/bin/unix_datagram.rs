//! `unix_datagram`: a Unix datagram socket with an abstract name, which
//! lives in no directory. A forked client sends three messages; they
//! arrive as three, boundaries kept.

use std::fs;
use std::io;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixDatagram};

use ch07_ipc::{fork_child, wait_child};

// ANCHOR: listed
/// Whether /proc/net/unix, the kernel's list of Unix sockets, has one
/// whose name is `@name` (how abstract names are shown, `ss -x` too).
/// The kernel writes the list a page per read, so a socket that closes
/// between two reads can hide a line from one pass: three passes decide.
fn listed(name: &str) -> io::Result<bool> {
    let shown = format!("@{name}");
    for _ in 0..3 {
        let table = fs::read_to_string("/proc/net/unix")?;
        let mut names = table.lines().map(|line| line.split_whitespace().last());
        if names.any(|last| last == Some(&shown)) {
            return Ok(true);
        }
    }
    Ok(false)
}
// ANCHOR_END: listed

fn main() -> io::Result<()> {
    // ANCHOR: bind
    let name = format!("ch07-dgram-{}", std::process::id());
    // An abstract address: a name starting with a NUL byte, not a path.
    let addr = SocketAddr::from_abstract_name(name.as_bytes())?;
    let server = UnixDatagram::bind_addr(&addr)?;
    println!(
        "bound @ch07-dgram-<pid>; listed in /proc/net/unix: {}",
        listed(&name)?
    );
    // ANCHOR_END: bind

    // ANCHOR: send
    let client = fork_child(|| {
        let Ok(socket) = UnixDatagram::unbound() else {
            return 1;
        };
        for message in ["one", "two", "three"] {
            if socket.send_to_addr(message.as_bytes(), &addr).is_err() {
                return 1;
            }
        }
        0
    })?;
    wait_child(client)?; // the client is gone; its datagrams wait in our queue
    let mut buf = [0u8; 1024];
    for _ in 0..3 {
        let (n, from) = server.recv_from(&mut buf)?; // one datagram per call
        let text = String::from_utf8_lossy(&buf[..n]);
        println!("received {text:?} ({n} bytes) from {from:?}");
    }
    // ANCHOR_END: send

    // ANCHOR: gone
    drop(server);
    println!("after close, listed: {}", listed(&name)?);
    UnixDatagram::bind_addr(&addr)?; // no file to remove first
    println!("bind the same name again: ok");
    // ANCHOR_END: gone
    Ok(())
}
