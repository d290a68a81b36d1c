//! Code shared by the chapter 9 listings: the listening socket every server
//! model binds, the echo loop each one runs per connection, what to do when
//! `accept` fails, and the load generator behind `echo_load` and the
//! `servers` benchmark.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use socket2::{Domain, Protocol, Socket, Type};

pub mod load;

/// How many completed connections the kernel queues for `accept`.
pub const BACKLOG: i32 = 1024;

// ANCHOR: listen
/// Binds a TCP listener on `addr`, like `TcpListener::bind`, but with a
/// listen backlog of [`BACKLOG`] instead of std's 128.
pub fn listen(addr: &str) -> io::Result<TcpListener> {
    let addr: SocketAddr = addr
        .parse()
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidInput, err))?;
    // socket2 creates the socket with SOCK_CLOEXEC, as std does.
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    // When 1,000 clients connect at once, a queue of 128 overflows and the
    // kernel drops their SYNs: those clients wait a second, then retry.
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}
// ANCHOR_END: listen

// ANCHOR: echo
/// Sends back every byte the client sends, until it shuts down its side;
/// returns how many bytes went round.
pub fn echo(stream: &TcpStream) -> io::Result<u64> {
    // `&TcpStream` is both `Read` and `Write`. `io::copy` reads up to 8 KiB,
    // writes all of it (retrying short writes), and stops when `read`
    // returns 0: the client's FIN. Dropping the stream then sends ours.
    let (mut from_client, mut to_client) = (stream, stream);
    io::copy(&mut from_client, &mut to_client)
}
// ANCHOR_END: echo

// ANCHOR: accept_failed
/// What every server here does when `accept` fails: say so, and when the
/// cause is a lack of descriptors or memory, pause before the next try.
pub fn accept_failed(program: &str, err: &io::Error) {
    eprintln!("{program}: accept: {err}");
    // EMFILE: this process is out of descriptors. The connection stays in
    // the queue, so accept would fail again at once, in a busy loop. Until
    // a connection closes, trying ten times a second is plenty.
    if let Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM) = err.raw_os_error() {
        thread::sleep(Duration::from_millis(100));
    }
}
// ANCHOR_END: accept_failed

/// A client's connection ended with an error: a reset, a broken pipe. It
/// ends this connection only; the server goes on.
pub fn connection_failed(program: &str, err: &io::Error) {
    eprintln!("{program}: connection: {err}");
}
