//! `echo_server_nix [addr]`: the echo server again, written with one
//! `nix::sys::socket` call per system call. It echoes bytes, not lines.

use std::env;
use std::error::Error;
use std::net::SocketAddrV4;
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::ExitCode;

use nix::errno::Errno;
use nix::sys::socket::{
    AddressFamily, Backlog, MsgFlags, SockFlag, SockType, SockaddrIn, accept4, bind, getpeername,
    getsockname, listen, recv, send, setsockopt, socket, sockopt,
};
use nix::unistd::close;

fn main() -> ExitCode {
    let addr = env::args().nth(1);
    let addr = addr.as_deref().unwrap_or("127.0.0.1:7878");
    match run(addr) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("echo_server_nix: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(addr: &str) -> Result<(), Box<dyn Error>> {
    // IPv4 only: SockaddrIn is a `struct sockaddr_in`.
    let addr: SocketAddrV4 = addr.parse()?;

    // ANCHOR: socket
    // socket(2): a TCP endpoint with no address yet. SOCK_CLOEXEC closes it
    // in any program this one might exec (std sets it on every socket).
    let listener: OwnedFd = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::SOCK_CLOEXEC,
        None,
    )?;
    // Allow a restart while old connections linger in TIME_WAIT.
    setsockopt(&listener, sockopt::ReuseAddr, &true)?;
    // ANCHOR_END: socket

    // ANCHOR: bind
    // bind(2): claim the address. Port 0 lets the kernel pick a free port.
    bind(listener.as_raw_fd(), &SockaddrIn::from(addr))?;
    // ANCHOR_END: bind

    // ANCHOR: listen
    // listen(2): from now on the kernel completes handshakes by itself and
    // queues up to 128 connections that accept(2) has not taken yet.
    listen(&listener, Backlog::new(128)?)?;
    let bound: SockaddrIn = getsockname(listener.as_raw_fd())?;
    println!("listening on {bound}");
    // ANCHOR_END: listen

    loop {
        // ANCHOR: accept
        // accept4(2): take the next connection from the queue, blocking
        // while it is empty. The result is a new socket for this one client,
        // close-on-exec like the listening socket (std's accept does this).
        let connection = match accept4(&listener, SockFlag::SOCK_CLOEXEC) {
            Ok(fd) => fd,
            Err(errno) => {
                eprintln!("echo_server_nix: accept: {errno}");
                continue;
            }
        };
        // getpeername(2): who is on the other end. ENOTCONN means the
        // client reset the connection while it waited in the queue.
        let peer: SockaddrIn = match getpeername(connection.as_raw_fd()) {
            Ok(peer) => peer,
            Err(errno) => {
                eprintln!("echo_server_nix: getpeername: {errno}");
                continue; // dropping `connection` closes it
            }
        };
        // ANCHOR_END: accept
        println!("{peer} connected");
        match echo(&connection) {
            Ok(()) => println!("{peer} disconnected"),
            Err(errno) => println!("{peer} dropped: {errno}"),
        }
        // ANCHOR: close
        // close(2). Dropping the OwnedFd would close it too, but ignore the
        // result; the listening socket stays open for the next client.
        if let Err(errno) = close(connection) {
            eprintln!("echo_server_nix: close: {errno}");
        }
        // ANCHOR_END: close
    }
}

// ANCHOR: echo
/// Sends back every byte until the client closes its side.
fn echo(connection: &OwnedFd) -> Result<(), Errno> {
    let fd = connection.as_raw_fd();
    let mut buf = [0u8; 1024];
    loop {
        // recv(2): wait for at least one byte, take at most 1024.
        let received = match recv(fd, &mut buf, MsgFlags::empty()) {
            Ok(0) => return Ok(()), // end of stream: the client closed
            Ok(n) => n,
            Err(Errno::EINTR) => continue,
            Err(errno) => return Err(errno),
        };
        // send(2) may take fewer bytes than offered: loop until all are out.
        // MSG_NOSIGNAL: a vanished client gives EPIPE, not SIGPIPE.
        let mut sent = 0;
        while sent < received {
            match send(fd, &buf[sent..received], MsgFlags::MSG_NOSIGNAL) {
                Ok(n) => sent += n,
                Err(Errno::EINTR) => {}
                Err(errno) => return Err(errno),
            }
        }
    }
}
// ANCHOR_END: echo
