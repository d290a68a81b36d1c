//! Exercise 9.2, a solution: `echo_pool` that shuts down gracefully on
//! SIGTERM.

use std::env;
use std::io;
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

use ch09_servers::{accept_failed, connection_failed, echo, listen};
use signal_hook::consts::SIGTERM;
use signal_hook::iterator::Signals;

const PROGRAM: &str = "echo_graceful";

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

fn run(addr: &str, workers: usize, queue: usize) -> io::Result<()> {
    let listener = listen(addr)?;
    // Register before printing the address: from then on a SIGTERM is
    // caught, never the default action (death).
    let mut signals = Signals::new([SIGTERM])?;
    let stopping = Arc::new(AtomicBool::new(false));
    {
        let stopping = Arc::clone(&stopping);
        let listening = listener.as_raw_fd();
        thread::spawn(move || {
            if signals.forever().next().is_some() {
                stopping.store(true, Ordering::SeqCst);
                // accept(2) does not return for a signal handled on another
                // thread; shutting down the listening socket wakes it with
                // EINVAL. The descriptor stays valid until `run` drops the
                // listener, after the acceptor has seen the flag.
                // SAFETY: shutdown(2) on a descriptor that is still open.
                unsafe { libc::shutdown(listening, libc::SHUT_RD) };
            }
        });
    }
    let (connections, waiting) = sync_channel::<TcpStream>(queue);
    let waiting = Arc::new(Mutex::new(waiting));
    let mut pool = Vec::with_capacity(workers);
    for id in 0..workers {
        let waiting = Arc::clone(&waiting);
        pool.push(
            thread::Builder::new()
                .name(format!("worker-{id}"))
                .spawn(move || work(&waiting))?,
        );
    }
    println!("listening on {}", listener.local_addr()?);
    loop {
        match listener.accept() {
            Ok((stream, _peer)) => {
                if stopping.load(Ordering::SeqCst) {
                    break; // accepted just before the shutdown: not served
                }
                if connections.send(stream).is_err() {
                    return Err(io::Error::other("every worker has stopped"));
                }
            }
            Err(_) if stopping.load(Ordering::SeqCst) => break,
            Err(err) => accept_failed(PROGRAM, &err),
        }
    }
    // Close the listening socket: new clients are refused from now on.
    drop(listener);
    println!("shutting down");
    // Workers finish what they hold, empty the queue, then see the channel
    // closed: dropping the sender is the signal to stop.
    drop(connections);
    for worker in pool {
        let _ = worker.join();
    }
    Ok(())
}

fn work(waiting: &Mutex<Receiver<TcpStream>>) {
    loop {
        let next = waiting.lock().unwrap().recv();
        let Ok(stream) = next else {
            return; // the acceptor is gone and the queue is empty
        };
        if let Err(err) = echo(&stream) {
            connection_failed(PROGRAM, &err);
        }
    }
}
