//! `echo_pool [addr [workers [queue]]]`: an echo server with a fixed pool of
//! worker threads (16 by default) fed through a bounded queue of accepted
//! connections (64 by default). When every worker is busy and the queue is
//! full, the acceptor waits: new clients wait in the kernel's listen queue.

use std::env;
use std::io;
use std::net::TcpStream;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

use ch09_servers::{accept_failed, connection_failed, echo, listen};

const PROGRAM: &str = "echo_pool";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let addr = args.first().map_or("127.0.0.1:7878", String::as_str);
    let number = |index: usize, default: usize| match args.get(index) {
        None => Some(default),
        Some(text) => text.parse().ok().filter(|&n| n > 0),
    };
    let (Some(workers), Some(queue), true) = (number(1, 16), number(2, 64), args.len() <= 3) else {
        eprintln!("usage: {PROGRAM} [addr [workers [queue]]]  (positive numbers)");
        return ExitCode::from(2);
    };
    match run(addr, workers, queue) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{PROGRAM}: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: run
fn run(addr: &str, workers: usize, queue: usize) -> io::Result<()> {
    let listener = listen(addr)?;
    // A channel that holds at most `queue` connections: `send` blocks when
    // it is full. The workers share the one receiving end.
    let (connections, waiting) = sync_channel::<TcpStream>(queue);
    let waiting = Arc::new(Mutex::new(waiting));
    for id in 0..workers {
        let waiting = Arc::clone(&waiting);
        thread::Builder::new()
            .name(format!("worker-{id}"))
            .spawn(move || work(&waiting))?;
    }
    println!("listening on {}", listener.local_addr()?);
    loop {
        match listener.accept() {
            // The queue's policy: when it is full, this blocks, and the
            // acceptor stops accepting until a worker takes a connection.
            Ok((stream, _peer)) => {
                if connections.send(stream).is_err() {
                    return Err(io::Error::other("every worker has stopped"));
                }
            }
            Err(err) => accept_failed(PROGRAM, &err),
        }
    }
}

fn work(waiting: &Mutex<Receiver<TcpStream>>) {
    loop {
        // The lock is held only while taking one connection: the guard is a
        // temporary, dropped at the end of this statement.
        let next = waiting.lock().unwrap().recv();
        let Ok(stream) = next else {
            return; // the acceptor is gone
        };
        if let Err(err) = echo(&stream) {
            connection_failed(PROGRAM, &err);
        }
    }
}
// ANCHOR_END: run
