//! `reuse_addr`: binding a port that still has a connection in TIME_WAIT,
//! with and without SO_REUSEADDR.

use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};

use socket2::{Domain, Socket, Type};

// ANCHOR: listener
/// A listening socket made step by step, so that SO_REUSEADDR can be set
/// (or not) before bind(2).
fn listener(addr: SocketAddr, reuse: bool) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.set_reuse_address(reuse)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}
// ANCHOR_END: listener

// ANCHOR: time_wait
/// Runs a server on a free port that closes a connection first, which
/// leaves the server's side of it in TIME_WAIT. Returns the address.
fn leave_time_wait(reuse: bool) -> io::Result<SocketAddr> {
    let server = listener("127.0.0.1:0".parse().expect("a valid address"), reuse)?;
    let addr = server.local_addr()?;
    let mut client = TcpStream::connect(addr)?;
    let (connection, _) = server.accept()?;
    drop(connection); // the server closes first: FIN
    client.read_to_end(&mut Vec::new())?; // wait for that FIN
    drop(client); // the client's FIN; the server's side enters TIME_WAIT
    drop(server); // the listening socket is gone too
    Ok(addr)
}
// ANCHOR_END: time_wait

fn show(result: io::Result<TcpListener>) -> String {
    match result {
        Ok(_) => "bound".to_owned(),
        Err(err) => err.to_string(),
    }
}

fn main() -> io::Result<()> {
    // ANCHOR: main
    for old_reuse in [true, false] {
        let addr = leave_time_wait(old_reuse)?;
        println!("old server on {addr}, SO_REUSEADDR {old_reuse}, closed first:");
        println!(
            "  new listener without SO_REUSEADDR: {}",
            show(listener(addr, false))
        );
        println!(
            "  new listener with SO_REUSEADDR:    {}",
            show(listener(addr, true))
        );
        println!(
            "  std::net::TcpListener::bind:       {}",
            show(TcpListener::bind(addr))
        );
    }
    // ANCHOR_END: main
    Ok(())
}
