//! `echo_iterative [addr]`: an iterative echo server. One process, one
//! thread: it serves one client from connect to close, then takes the next.

use std::env;
use std::io;
use std::process::ExitCode;

use ch09_servers::{accept_failed, connection_failed, echo, listen};

const PROGRAM: &str = "echo_iterative";

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
        // Everyone else waits in the kernel's queue until this returns.
        if let Err(err) = echo(&stream) {
            connection_failed(PROGRAM, &err);
        }
    }
}
// ANCHOR_END: run
