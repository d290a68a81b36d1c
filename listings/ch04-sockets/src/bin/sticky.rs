//! `sticky`: two writes on one end of a TCP connection, one read on the
//! other. TCP carries bytes, not messages (粘包, "sticky packets").

use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::time::Duration;

use ch04_sockets::loopback_pair;
use nix::sys::socket::{MsgFlags, recv};

fn main() -> io::Result<()> {
    let (mut writer, mut reader) = loopback_pair()?;
    // ANCHOR: writes
    // No Nagle: each write goes out at once, in a segment of its own.
    writer.set_nodelay(true)?;
    for message in ["first", "second"] {
        let n = writer.write(message.as_bytes())?;
        println!("write {message:?}: {n} bytes");
    }
    // ANCHOR_END: writes

    // ANCHOR: read
    // Make the demonstration deterministic: wait until all 11 bytes have
    // arrived, without taking any (MSG_PEEK | MSG_WAITALL, at most 5 s).
    reader.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut buf = [0u8; 1024];
    let flags = MsgFlags::MSG_PEEK | MsgFlags::MSG_WAITALL;
    recv(reader.as_raw_fd(), &mut buf[..11], flags)?;
    // Now one ordinary read, with room for 1024 bytes.
    let n = reader.read(&mut buf)?;
    let text = String::from_utf8_lossy(&buf[..n]);
    println!("one read: {n} bytes: {text:?}");
    // ANCHOR_END: read
    Ok(())
}
