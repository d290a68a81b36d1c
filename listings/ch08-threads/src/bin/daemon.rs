//! `daemon`: when `main` returns, the process ends, and every other thread
//! with it. `daemon --join` waits for the worker instead, as Python does for
//! a thread that is not a daemon.

use std::io::{self, BufRead};
use std::sync::mpsc;
use std::thread;

// ANCHOR: main
fn main() {
    let join = std::env::args().nth(1).as_deref() == Some("--join");
    let (started_tx, started) = mpsc::channel();
    let worker = thread::spawn(move || {
        started_tx.send(()).unwrap();
        let mut line = String::new();
        // Blocks until a line arrives on standard input, or end of file.
        io::stdin().lock().read_line(&mut line).unwrap();
        println!("worker: read {line:?}");
    });
    started.recv().unwrap();
    if join {
        println!("main: waiting for the worker");
        worker.join().unwrap();
    }
    println!("main: returning");
}
// ANCHOR_END: main
