//! `fs_pool ADDR ROOT [--workers N] [--head-timeout SECS] [--idle-timeout
//! SECS] [--max-connections N]`: the file server on a fixed pool of worker
//! threads (16 by default) fed from one queue, chapter 9's model. A worker
//! serves one request of a connection, then puts the connection back at
//! the end of the queue: a kept-alive connection does not keep a worker.

use std::process::ExitCode;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use ch15_fileserver::blocking::{Conn, Wait};
use ch15_fileserver::setup::{Config, Slots, config, listen};

// ANCHOR: turn
/// How long a worker waits for the next request of the connection it took
/// before it puts the connection back and takes the next one.
const TURN: Duration = Duration::from_millis(10);
// ANCHOR_END: turn

// ANCHOR: pool
fn main() -> ExitCode {
    let config = Arc::new(config("fs_pool"));
    let listener = match listen(&config.addr, false) {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("fs_pool: {}: {err}", config.addr);
            return ExitCode::FAILURE;
        }
    };
    // Unbounded, unlike chapter 9's: the workers put connections back, and
    // a worker blocked on a full queue could never free a place in it. The
    // connection limit bounds it instead.
    let (queue, waiting) = channel::<Conn>();
    let waiting = Arc::new(Mutex::new(waiting));
    for id in 0..config.workers.unwrap_or(16) {
        let (config, queue, waiting) = (Arc::clone(&config), queue.clone(), Arc::clone(&waiting));
        let spawned = thread::Builder::new()
            .name(format!("worker-{id}"))
            .spawn(move || work(&config, &queue, &waiting));
        if let Err(err) = spawned {
            eprintln!("fs_pool: cannot start a worker: {err}");
            return ExitCode::FAILURE;
        }
    }
    match listener.local_addr() {
        Ok(addr) => println!("listening on {addr}"),
        Err(err) => eprintln!("fs_pool: {err}"),
    }
    let slots = Slots::new(config.max_connections);
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(err) => {
                // EMFILE, say: the connection stays in the backlog, and
                // trying again at once would spin. As fileserver does,
                // wait a little.
                eprintln!("fs_pool: accept: {err}");
                thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        if let Some(slot) = slots.take(&stream)
            && let Ok(conn) = Conn::new(stream, slot)
        {
            let _ = queue.send(conn);
        }
    }
    ExitCode::SUCCESS
}

/// One worker: take a connection, serve one request, put it back.
fn work(config: &Config, queue: &Sender<Conn>, waiting: &Mutex<Receiver<Conn>>) {
    loop {
        let next = waiting.lock().unwrap().recv();
        let Ok(mut conn) = next else {
            return;
        };
        match conn.wait_for_request(TURN) {
            Ok(Wait::Request) => match conn.serve_one(&config.root, config.head_timeout) {
                Ok(true) => {}
                _ => continue, // closed: dropping it closes the socket
            },
            // No request within its turn: back in the queue, unless it
            // has been idle for longer than the idle timeout.
            Ok(Wait::Idle) if conn.idle_since.elapsed() < config.idle_timeout => {}
            _ => continue,
        }
        let _ = queue.send(conn);
    }
}
// ANCHOR_END: pool
