//! Exercise 9.3, a solution: a line-based server in the pool model that
//! answers each line in upper case.

use std::env;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

use ch09_servers::{accept_failed, connection_failed, listen};

const PROGRAM: &str = "upper_pool";
const MAX_LINE: usize = 1024;

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
        let next = waiting.lock().unwrap().recv();
        let Ok(stream) = next else {
            return;
        };
        if let Err(err) = serve(&stream) {
            connection_failed(PROGRAM, &err);
        }
    }
}

/// Answers lines until the client shuts down, or sends a line too long.
fn serve(stream: &TcpStream) -> io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut writer = stream;
    let mut line = Vec::new();
    loop {
        line.clear();
        // At most one byte more than the limit: enough to tell "too long".
        (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if line.is_empty() {
            return Ok(()); // end of stream
        }
        if line.len() > MAX_LINE {
            writer.write_all(format!("error: line longer than {MAX_LINE} bytes\n").as_bytes())?;
            return Ok(()); // dropping the stream closes it
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let reply = match std::str::from_utf8(text) {
            Ok(text) => format!("{}\n", text.to_uppercase()),
            Err(_) => "error: not UTF-8\n".to_owned(),
        };
        writer.write_all(reply.as_bytes())?;
    }
}
