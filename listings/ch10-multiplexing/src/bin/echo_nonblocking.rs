//! `echo_nonblocking [addr]`: an echo server in one thread with
//! non-blocking sockets and no readiness API. It tries every socket in
//! turn; when a whole pass finds nothing to do, it sleeps a little longer
//! each time (up to 5 ms), because trying again at once would burn a core.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use ch10_multiplexing::{
    AcceptPause, Accepted, Connection, accept, listen, raise_nofile_limit, serve,
};

const PROGRAM: &str = "echo_nonblocking";

/// The longest nap between two idle passes: a client's bytes may wait
/// this long before the server notices them.
const MAX_NAP: Duration = Duration::from_millis(5);

fn main() -> ExitCode {
    serve(PROGRAM, run)
}

// ANCHOR: run
fn run(addr: &str) -> io::Result<()> {
    raise_nofile_limit()?;
    let listener = listen(addr)?;
    listener.set_nonblocking(true)?;
    println!("listening on {}", listener.local_addr()?);
    let mut connections: HashMap<RawFd, Connection> = HashMap::new();
    let mut pause = AcceptPause::default();
    let mut nap = Duration::ZERO;
    loop {
        let mut busy = false;
        while pause.accepting() {
            match accept(PROGRAM, &listener) {
                Accepted::Client(stream) => {
                    let fd = stream.as_raw_fd();
                    connections.insert(fd, Connection::new(stream));
                    busy = true;
                }
                Accepted::Drained => break,
                Accepted::Pause => pause.start(),
            }
        }
        // Try every connection: a read or write that would block costs a
        // system call and returns WouldBlock at once.
        connections.retain(|_, connection| {
            let before = connection.moved();
            let result = connection.pump();
            busy |= connection.moved() != before;
            match result {
                Ok(Some(_)) => true,
                Ok(None) => {
                    busy = true;
                    pause.end();
                    false
                }
                Err(err) => {
                    eprintln!("{PROGRAM}: connection: {err}");
                    pause.end();
                    false
                }
            }
        });
        if busy {
            nap = Duration::ZERO;
        } else {
            // Nothing happened: sleep 50 µs, then twice as long after each
            // idle pass, up to MAX_NAP.
            nap = (nap * 2).clamp(Duration::from_micros(50), MAX_NAP);
            thread::sleep(nap);
        }
    }
}
// ANCHOR_END: run
