//! `echo_tokio [addr] [multi_thread|current_thread]`: the echo server on
//! tokio, one task per connection, on the runtime flavour named (by
//! default `multi_thread`, a worker thread per core).

use std::env;
use std::io;
use std::process::ExitCode;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::{Builder, Runtime};

use ch11_async::{listen, out_of_resources};

const PROGRAM: &str = "echo_tokio";

// ANCHOR: runtime
fn main() -> ExitCode {
    let addr = env::args().nth(1);
    let addr = addr.as_deref().unwrap_or("127.0.0.1:7878");
    let flavour = env::args().nth(2);
    let runtime = match flavour.as_deref() {
        None | Some("multi_thread") => {
            Builder::new_multi_thread().enable_all().build()
        }
        Some("current_thread") => {
            Builder::new_current_thread().enable_all().build()
        }
        Some(other) => {
            eprintln!(
                "{PROGRAM}: unknown flavour {other:?}: \
                 multi_thread or current_thread"
            );
            return ExitCode::from(2);
        }
    };
    match runtime.and_then(|runtime: Runtime| runtime.block_on(serve(addr))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{PROGRAM}: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: runtime

// ANCHOR: serve
async fn serve(addr: &str) -> io::Result<()> {
    let listener = listen(addr)?;
    listener.set_nonblocking(true)?; // tokio requires it
    let listener = TcpListener::from_std(listener)?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        match listener.accept().await {
            Ok((stream, _peer)) => {
                tokio::spawn(async move {
                    if let Err(err) = echo(stream).await {
                        eprintln!("{PROGRAM}: connection: {err}");
                    }
                });
            }
            Err(err) => {
                eprintln!("{PROGRAM}: accept: {err}");
                if out_of_resources(&err) {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: echo
async fn echo(mut stream: TcpStream) -> io::Result<()> {
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(()); // the client's FIN; dropping `stream` sends ours
        }
        stream.write_all(&buf[..n]).await?; // no read until it is written
    }
}
// ANCHOR_END: echo
