//! `fs_threads ADDR ROOT [--head-timeout SECS] [--idle-timeout SECS]
//! [--max-connections N]`: the file server with a thread per connection
//! and blocking I/O, chapter 5's and chapter 9's model. The first step on
//! the way to `fileserver`.

use std::process::ExitCode;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use ch15_fileserver::blocking::{Conn, Wait};
use ch15_fileserver::setup::{Config, Slots, config, listen};

// ANCHOR: main
fn main() -> ExitCode {
    let config = Arc::new(config("fs_threads"));
    let listener = match listen(&config.addr, false) {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("fs_threads: {}: {err}", config.addr);
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => println!("listening on {addr}"),
        Err(err) => eprintln!("fs_threads: {err}"),
    }
    let slots = Slots::new(config.max_connections);
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(err) => {
                // EMFILE, say: the connection stays in the backlog, and
                // trying again at once would spin. As fileserver does,
                // wait a little.
                eprintln!("fs_threads: accept: {err}");
                thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        let Some(slot) = slots.take(&stream) else {
            continue; // over the limit: it got a 503
        };
        let config = Arc::clone(&config);
        // 64 KiB of stack is plenty for this thread; the default 2 MiB is
        // only address space, but 1,000 of them still cost page tables.
        let spawned = thread::Builder::new().stack_size(64 * 1024).spawn(move || {
            if let Ok(conn) = Conn::new(stream, slot) {
                serve(conn, &config);
            }
        });
        if let Err(err) = spawned {
            eprintln!("fs_threads: cannot start a thread: {err}");
        }
    }
    ExitCode::SUCCESS
}

/// The whole life of a connection, in its own thread.
fn serve(mut conn: Conn, config: &Config) {
    loop {
        match conn.wait_for_request(config.idle_timeout) {
            Ok(Wait::Request) => {}
            _ => return, // closed, idle too long, or failed
        }
        match conn.serve_one(&config.root, config.head_timeout) {
            Ok(true) => {}
            _ => return,
        }
    }
}
// ANCHOR_END: main
