//! `udp_truncated`: a 100-byte datagram read into a 16-byte buffer. std
//! cuts it silently; `MSG_TRUNC` through nix tells you.

use std::io::{self, IoSliceMut};
use std::net::UdpSocket;
use std::os::fd::AsRawFd;
use std::time::Duration;

use nix::sys::socket::{MsgFlags, SockaddrIn, recv, recvmsg};

fn main() -> io::Result<()> {
    let receiver = UdpSocket::bind("127.0.0.1:0")?;
    receiver.set_read_timeout(Some(Duration::from_secs(5)))?;
    let to = receiver.local_addr()?;
    let fd = receiver.as_raw_fd();
    let sender = UdpSocket::bind("127.0.0.1:0")?;
    let datagram = b"0123456789".repeat(10); // 100 bytes
    let mut buf = [0u8; 16];

    // ANCHOR: std
    sender.send_to(&datagram, to)?;
    let (n, from) = receiver.recv_from(&mut buf)?;
    let text = String::from_utf8_lossy(&buf[..n]);
    println!("recv_from: {n} bytes from {from}: {text:?}");
    // ANCHOR_END: std

    // ANCHOR: msg_trunc
    // With MSG_TRUNC in flags, Linux returns the real length of the
    // datagram, even though it copies only what fits in the buffer.
    sender.send_to(&datagram, to)?;
    let len = recv(fd, &mut buf, MsgFlags::MSG_TRUNC)?;
    println!(
        "recv(MSG_TRUNC) returned {len}: the datagram had {len} bytes, {} were kept",
        buf.len()
    );

    // recvmsg(2) reports the cut in the message flags it returns.
    sender.send_to(&datagram, to)?;
    let mut iov = [IoSliceMut::new(&mut buf)];
    let msg = recvmsg::<SockaddrIn>(fd, &mut iov, None, MsgFlags::empty())?;
    let cut = msg.flags.contains(MsgFlags::MSG_TRUNC);
    println!(
        "recvmsg: {} bytes, MSG_TRUNC in msg_flags: {cut}",
        msg.bytes
    );
    // ANCHOR_END: msg_trunc

    // ANCHOR: peek
    // To size the buffer first: peek with MSG_TRUNC and an empty buffer.
    sender.send_to(&datagram, to)?;
    let flags = MsgFlags::MSG_PEEK | MsgFlags::MSG_TRUNC;
    let len = recv(fd, &mut [], flags)?;
    let mut whole = vec![0u8; len];
    let (n, _) = receiver.recv_from(&mut whole)?;
    println!("peeked length {len}, then recv_from read all {n} bytes");
    // ANCHOR_END: peek

    // ANCHOR: next
    // What was cut is gone: the next read returns the next datagram.
    sender.send_to(b"next", to)?;
    let (n, _) = receiver.recv_from(&mut buf)?;
    println!("next recv_from: {:?}", String::from_utf8_lossy(&buf[..n]));
    // ANCHOR_END: next
    Ok(())
}
