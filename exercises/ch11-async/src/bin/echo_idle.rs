//! Exercise 11.2: `echo_idle [addr [idle_ms]]`, `echo_tokio` with an idle
//! timeout: a client that sends nothing for `idle_ms` milliseconds
//! (default 10,000) gets the line `idle for IDLE_MS ms, closing` and the
//! connection is closed. An `idle_ms` that is not a positive number is
//! refused with exit status 2.
//!
//! Check your solution with `cargo xtask exercise 11.2`.

use std::io;
use std::process::ExitCode;
use std::time::Duration;

use tokio::net::TcpStream;

#[tokio::main]
async fn main() -> ExitCode {
    todo!(
        "parse [addr [idle_ms]], bind with ch11_async::listen, print \
         `listening on <addr>`, and spawn `echo` for each client"
    )
}

/// Echoes `stream` until the client shuts down its side, or until it has
/// sent nothing for `idle`.
#[allow(dead_code)] // until main uses it
async fn echo(stream: TcpStream, idle: Duration) -> io::Result<()> {
    let _ = (stream, idle);
    todo!("the echo loop of Listing 11-22, its read under tokio::time::timeout")
}
