//! Code shared by the chapter 11 listings: a hand-made async runtime (an
//! executor in [`executor`], an epoll reactor with timers in [`reactor`])
//! that `take_turns` and `echo_handmade` run on, and the listening socket
//! every echo server of Part IV binds.

use std::io;
use std::net::{SocketAddr, TcpListener};

use socket2::{Domain, Protocol, Socket, Type};

pub mod executor;
pub mod reactor;

/// Binds a TCP listener on `addr` with a listen backlog of 1,024, like
/// chapter 9's servers, so 1,000 clients connecting at once are queued.
pub fn listen(addr: &str) -> io::Result<TcpListener> {
    let addr: SocketAddr = addr
        .parse()
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidInput, err))?;
    let socket = Socket::new(
        Domain::for_address(addr),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

/// True for the `accept` errors that mean "out of descriptors or memory":
/// the connection stays queued, so retrying at once would spin.
pub fn out_of_resources(err: &io::Error) -> bool {
    matches!(
        err.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
    )
}
