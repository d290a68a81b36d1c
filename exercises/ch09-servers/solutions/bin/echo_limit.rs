//! Exercise 9.1, a solution: `echo_threads` with a limit on the number of
//! clients served at the same time.

use std::env;
use std::io::{self, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use ch09_servers::{accept_failed, connection_failed, echo, listen};

const PROGRAM: &str = "echo_limit";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let addr = args.first().map_or("127.0.0.1:7878", String::as_str);
    let max = match args.get(1).map(|text| text.parse::<usize>()) {
        None => 100,
        Some(Ok(max)) if max > 0 && args.len() == 2 => max,
        Some(_) => {
            eprintln!("usage: {PROGRAM} [addr [max]]  (max: a positive number)");
            return ExitCode::from(2);
        }
    };
    match run(addr, max) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{PROGRAM}: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

/// One served client: counted in on creation, counted out when dropped,
/// however its thread ends.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    /// Takes a slot if fewer than `max` are taken.
    fn take(count: &Arc<AtomicUsize>, max: usize) -> Option<Slot> {
        count
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(count)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn run(addr: &str, max: usize) -> io::Result<()> {
    let listener = listen(addr)?;
    println!("listening on {}", listener.local_addr()?);
    let connected = Arc::new(AtomicUsize::new(0));
    loop {
        let (stream, _peer) = match listener.accept() {
            Ok(connection) => connection,
            Err(err) => {
                accept_failed(PROGRAM, &err);
                continue;
            }
        };
        let Some(slot) = Slot::take(&connected, max) else {
            refuse(stream, max);
            continue;
        };
        let spawned = thread::Builder::new().spawn(move || {
            let _slot = slot; // released when this thread ends
            if let Err(err) = echo(&stream) {
                connection_failed(PROGRAM, &err);
            }
        });
        if let Err(err) = spawned {
            eprintln!("{PROGRAM}: cannot start a thread: {err}");
        }
    }
}

/// One line, then close. The write cannot block for long: a new
/// connection's send buffer is empty and the line is short.
fn refuse(mut stream: TcpStream, max: usize) {
    let line = format!("busy: {max} clients connected, try again later\n");
    if let Err(err) = stream.write_all(line.as_bytes()) {
        connection_failed(PROGRAM, &err);
    }
}
