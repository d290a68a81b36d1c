//! `echo_handmade [addr]`: the echo server on this chapter's hand-made
//! executor and epoll reactor, one task per connection, no tokio.

use std::env;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use ch11_async::executor::{block_on, spawn};
use ch11_async::reactor::{Async, Direction, sleep};
use ch11_async::{listen, out_of_resources};

const PROGRAM: &str = "echo_handmade";

fn main() -> ExitCode {
    let addr = env::args().nth(1);
    let addr = addr.as_deref().unwrap_or("127.0.0.1:7878");
    match block_on(serve(addr)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{PROGRAM}: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: serve
async fn serve(addr: &str) -> io::Result<()> {
    let listener: TcpListener = listen(addr)?;
    listener.set_nonblocking(true)?;
    let listener = Async::new(listener)?; // the reactor's epoll starts here
    println!("listening on {}", listener.get_ref().local_addr()?);
    loop {
        match listener.io_with(Direction::Read, |l| l.accept()).await {
            Ok((stream, _peer)) => spawn(async move {
                if let Err(err) = echo(stream).await {
                    eprintln!("{PROGRAM}: connection: {err}");
                }
            }),
            Err(err) => {
                eprintln!("{PROGRAM}: accept: {err}");
                // EMFILE: the connection stays queued and the listener stays
                // readable. Waiting on it again would spin; wait on a timer.
                if out_of_resources(&err) {
                    sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: echo
async fn echo(stream: TcpStream) -> io::Result<()> {
    stream.set_nonblocking(true)?;
    let stream = Async::new(stream)?;
    let mut buf = [0u8; 8192];
    loop {
        let n = stream
            .io_with(Direction::Read, |s| (&*s).read(&mut buf))
            .await?;
        if n == 0 {
            return Ok(()); // the client's FIN; dropping `stream` sends ours
        }
        // No read until this chunk is written: a client that does not read
        // stops being read from, so memory stays bounded.
        let mut sent = 0;
        while sent < n {
            sent += stream
                .io_with(Direction::Write, |s| (&*s).write(&buf[sent..n]))
                .await?;
        }
    }
}
// ANCHOR_END: echo
