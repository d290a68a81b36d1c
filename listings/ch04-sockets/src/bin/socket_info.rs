//! `socket_info`: a socket's addresses, file descriptor, type and family,
//! and the options std and socket2 let you read and set.

use std::io::{self, Read};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::time::Duration;

use socket2::{SockRef, TcpKeepalive};

fn main() -> io::Result<()> {
    // ANCHOR: addresses
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    println!(
        "listener: fd {}, local {}",
        listener.as_raw_fd(),
        listener.local_addr()?
    );
    for (name, stream) in [("client", &client), ("server", &server)] {
        let fd = stream.as_raw_fd();
        let (local, peer) = (stream.local_addr()?, stream.peer_addr()?);
        println!("{name}:   fd {fd}, local {local}, peer {peer}");
    }
    // std has no getter for the type and family: socket2 reads them.
    let socket = SockRef::from(&client);
    println!(
        "client:   type {:?}, family {:?}",
        socket.r#type()?,
        socket.domain()?
    );
    // ANCHOR_END: addresses

    // ANCHOR: nodelay
    println!("TCP_NODELAY: {}", client.nodelay()?);
    client.set_nodelay(true)?; // setsockopt(IPPROTO_TCP, TCP_NODELAY, 1)
    println!("TCP_NODELAY after set_nodelay(true): {}", client.nodelay()?);
    // ANCHOR_END: nodelay

    // ANCHOR: timeout
    // SO_RCVTIMEO: a read that waits longer fails. Linux reports EAGAIN,
    // which std maps to ErrorKind::WouldBlock (not TimedOut).
    client.set_read_timeout(Some(Duration::from_millis(100)))?;
    println!("read timeout: {:?}", client.read_timeout()?);
    match (&client).read(&mut [0u8; 16]) {
        Ok(n) => println!("read returned {n}"),
        Err(err) => println!("read with nothing to read: {err} ({:?})", err.kind()),
    }
    // ANCHOR_END: timeout

    // ANCHOR: keepalive
    // Keepalive probes find a peer that vanished without FIN or RST.
    println!("SO_KEEPALIVE: {}", socket.keepalive()?);
    let keepalive = TcpKeepalive::new()
        .with_time(Duration::from_secs(60)) // idle time before the first probe
        .with_interval(Duration::from_secs(10)) // between probes
        .with_retries(5); // unanswered probes before giving up
    socket.set_tcp_keepalive(&keepalive)?;
    println!(
        "SO_KEEPALIVE: {}, idle {:?}, interval {:?}, probes {}",
        socket.keepalive()?,
        socket.tcp_keepalive_time()?,
        socket.tcp_keepalive_interval()?,
        socket.tcp_keepalive_retries()?
    );
    // ANCHOR_END: keepalive
    Ok(())
}
