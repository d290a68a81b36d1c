//! Exercise 11.2: `echo_idle [addr [idle_ms]]`, `echo_tokio` with an idle
//! timeout: a client that sends nothing for `idle_ms` milliseconds
//! (default 10,000) gets the line `idle for IDLE_MS ms, closing` and the
//! connection is closed. An `idle_ms` that is not a positive number is
//! refused with exit status 2.

use std::env;
use std::io;
use std::process::ExitCode;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

use ch11_async::{listen, out_of_resources};

const PROGRAM: &str = "echo_idle";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let addr = args.first().map_or("127.0.0.1:7878", String::as_str);
    let idle = match args.get(1).map(|ms| ms.parse::<u64>()) {
        None => Duration::from_secs(10),
        Some(Ok(ms)) if ms > 0 => Duration::from_millis(ms),
        Some(_) => {
            eprintln!(
                "{PROGRAM}: invalid idle time {:?}: milliseconds, above 0",
                args[1]
            );
            return ExitCode::from(2);
        }
    };
    match serve(addr, idle).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{PROGRAM}: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(addr: &str, idle: Duration) -> io::Result<()> {
    let listener = listen(addr)?;
    listener.set_nonblocking(true)?;
    let listener = TcpListener::from_std(listener)?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        match listener.accept().await {
            Ok((stream, _peer)) => {
                tokio::spawn(async move {
                    if let Err(err) = echo(stream, idle).await {
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

/// Echoes `stream` until the client shuts down its side, or until it has
/// sent nothing for `idle`.
async fn echo(mut stream: TcpStream, idle: Duration) -> io::Result<()> {
    let mut buf = [0u8; 8192];
    loop {
        // `read` is cancel safe: a timeout loses no bytes.
        let n = match timeout(idle, stream.read(&mut buf)).await {
            Ok(read) => read?,
            Err(_elapsed) => {
                let goodbye =
                    format!("idle for {} ms, closing\n", idle.as_millis());
                stream.write_all(goodbye.as_bytes()).await?;
                return Ok(());
            }
        };
        if n == 0 {
            return Ok(());
        }
        stream.write_all(&buf[..n]).await?;
    }
}
