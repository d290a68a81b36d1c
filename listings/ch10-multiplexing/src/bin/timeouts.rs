//! `timeouts`: what a read timeout, a write timeout and a connect timeout
//! return on Linux, and what becomes of a timeout on a non-blocking socket.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

const TIMEOUT: Duration = Duration::from_millis(100);

/// Prints how `what` ended, its error kind and errno, and whether it
/// waited for the timeout.
fn report<T>(what: &str, start: Instant, result: io::Result<T>) {
    let waited = if start.elapsed() >= TIMEOUT {
        "after the timeout"
    } else {
        "at once"
    };
    match result {
        Ok(_) => println!("{what}: succeeded {waited}"),
        Err(err) => println!("{what}: {:?} ({err}) {waited}", err.kind()),
    }
}

fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    Ok((client, server))
}

fn main() -> io::Result<()> {
    // ANCHOR: read
    let (client, _server) = pair()?; // the server never writes
    client.set_read_timeout(Some(TIMEOUT))?; // setsockopt(SO_RCVTIMEO)
    let start = Instant::now();
    report("read", start, (&client).read(&mut [0u8; 16]));
    // ANCHOR_END: read

    // ANCHOR: write
    let (client, _server) = pair()?; // the server never reads
    client.set_write_timeout(Some(TIMEOUT))?; // SO_SNDTIMEO
    let chunk = vec![0u8; 64 * 1024];
    let mut sent = 0;
    loop {
        // Each write waits at most TIMEOUT for room in the buffers.
        let start = Instant::now();
        match (&client).write(&chunk) {
            Ok(n) => sent += n,
            Err(err) => {
                report("write", start, Err::<usize, _>(err));
                break;
            }
        }
    }
    println!("write: the buffers took {} KiB first", sent / 1024);
    // ANCHOR_END: write

    // ANCHOR: connect
    // A listener with a full queue: Linux queues backlog + 1 connections
    // and drops the next SYN, so the client waits for an answer.
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    listener.bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into())?;
    listener.listen(0)?;
    let addr = listener.local_addr()?.as_socket().unwrap();
    let _queued = TcpStream::connect(addr)?;
    let start = Instant::now();
    report("connect", start, TcpStream::connect_timeout(&addr, TIMEOUT));
    // ANCHOR_END: connect

    // ANCHOR: mixed
    let (client, _server) = pair()?;
    client.set_read_timeout(Some(Duration::from_secs(10)))?;
    client.set_nonblocking(true)?; // O_NONBLOCK wins: no waiting at all
    let start = Instant::now();
    report(
        "non-blocking read with a 10 s timeout",
        start,
        (&client).read(&mut [0u8; 16]),
    );
    println!(
        "zero timeout: {:?}",
        client
            .set_read_timeout(Some(Duration::ZERO))
            .map_err(|err| err.kind())
    );
    // ANCHOR_END: mixed
    Ok(())
}
