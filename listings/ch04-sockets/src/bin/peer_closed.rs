//! `peer_closed`: what `read` and `write` return once the other end of a
//! TCP connection has closed its socket.

use std::io::{self, Read, Write};
use std::time::Duration;

use ch04_sockets::{loopback_pair, wait_for};
use nix::poll::PollFlags;

fn main() -> io::Result<()> {
    let (mut client, server) = loopback_pair()?;

    // ANCHOR: eof
    drop(server); // close(2): the server's kernel sends FIN
    let mut buf = [0u8; 64];
    let n = client.read(&mut buf)?;
    println!("read returned {n}: end of stream, the peer has closed");
    let n = client.read(&mut buf)?;
    println!("read returned {n} again: end of stream is not consumed");
    // ANCHOR_END: eof

    // ANCHOR: epipe
    // FIN only says "I will send no more". Our side is still open for
    // writing, so the kernel takes these bytes and sends them.
    let n = client.write(b"hello")?;
    println!("first write returned Ok({n})");
    // The peer's socket is gone: its kernel answers the bytes with RST.
    // poll(2) reports the reset as POLLHUP and POLLERR.
    let seen = wait_for(&client, PollFlags::POLLHUP, Duration::from_secs(5))?;
    let reset = seen.contains(PollFlags::POLLHUP | PollFlags::POLLERR);
    println!("poll reports POLLHUP and POLLERR: {reset}");
    for attempt in ["second", "third"] {
        match client.write(b"hello") {
            Ok(n) => println!("{attempt} write returned Ok({n})"),
            Err(err) => println!("{attempt} write failed: {err} ({:?})", err.kind()),
        }
    }
    // ANCHOR_END: epipe
    Ok(())
}
