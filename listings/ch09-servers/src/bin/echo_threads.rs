//! `echo_threads [addr]`: an echo server with one thread per connection.

use std::env;
use std::io;
use std::process::ExitCode;
use std::thread;

use ch09_servers::{accept_failed, connection_failed, echo, listen};

const PROGRAM: &str = "echo_threads";

fn main() -> ExitCode {
    let addr = env::args().nth(1);
    let addr = addr.as_deref().unwrap_or("127.0.0.1:7878");
    match run(addr) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{PROGRAM}: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: run
fn run(addr: &str) -> io::Result<()> {
    let listener = listen(addr)?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (stream, _peer) = match listener.accept() {
            Ok(connection) => connection,
            Err(err) => {
                accept_failed(PROGRAM, &err);
                continue;
            }
        };
        // The thread owns the stream: it closes it when the echo ends.
        let spawned = thread::Builder::new().spawn(move || {
            if let Err(err) = echo(&stream) {
                connection_failed(PROGRAM, &err);
            }
        });
        // thread::spawn would panic here; Builder::spawn returns the error
        // (EAGAIN: out of threads or memory). The connection is dropped.
        if let Err(err) = spawned {
            eprintln!("{PROGRAM}: cannot start a thread: {err}");
        }
    }
}
// ANCHOR_END: run
