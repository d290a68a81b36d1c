//! `echo_poll [addr]`: an echo server in one thread, waiting for every
//! client at once with `poll(2)`.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::process::ExitCode;

use ch10_multiplexing::{
    AcceptPause, Accepted, Connection, accept, listen, raise_nofile_limit, serve,
};
use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

const PROGRAM: &str = "echo_poll";

fn main() -> ExitCode {
    serve(PROGRAM, run)
}

// ANCHOR: run
fn run(addr: &str) -> io::Result<()> {
    raise_nofile_limit()?;
    let listener = listen(addr)?;
    listener.set_nonblocking(true)?;
    println!("listening on {}", listener.local_addr()?);
    // The notes' fdmap: from the descriptor poll reports to the object.
    let mut connections: HashMap<RawFd, Connection> = HashMap::new();
    let mut pause = AcceptPause::default();
    loop {
        // What to watch is rebuilt on every call: poll keeps no state.
        let accepting = pause.accepting();
        let mut watched = Vec::with_capacity(connections.len() + 1);
        if accepting {
            watched.push(PollFd::new(listener.as_fd(), PollFlags::POLLIN));
        }
        for connection in connections.values() {
            let interest = connection.interest();
            let mut events = PollFlags::empty();
            events.set(PollFlags::POLLIN, interest.read);
            events.set(PollFlags::POLLOUT, interest.write);
            watched.push(PollFd::new(connection.stream.as_fd(), events));
        }
        let timeout = match pause.timeout() {
            Some(wait) => PollTimeout::try_from(wait).unwrap_or(PollTimeout::MAX),
            None => PollTimeout::NONE,
        };
        match poll(&mut watched, timeout) {
            Ok(_) => {}
            Err(Errno::EINTR) => continue,
            Err(err) => return Err(err.into()),
        }
        // The (fd, revents) pairs poll returned; POLLHUP and POLLERR come
        // without being asked for, and a read or write then reports them.
        let ready: Vec<(RawFd, PollFlags)> = watched
            .iter()
            .filter_map(|fd| Some((fd.as_fd().as_raw_fd(), fd.revents()?)))
            .filter(|(_, revents)| !revents.is_empty())
            .collect();
        drop(watched);
        for (fd, _revents) in ready {
            if fd == listener.as_raw_fd() {
                loop {
                    match accept(PROGRAM, &listener) {
                        Accepted::Client(stream) => {
                            connections.insert(stream.as_raw_fd(), Connection::new(stream));
                        }
                        Accepted::Drained => break,
                        Accepted::Pause => {
                            pause.start();
                            break;
                        }
                    }
                }
                continue;
            }
            let Some(connection) = connections.get_mut(&fd) else {
                continue;
            };
            let done = match connection.pump() {
                Ok(Some(_)) => false,
                Ok(None) => true,
                Err(err) => {
                    eprintln!("{PROGRAM}: connection: {err}");
                    true
                }
            };
            if done {
                // Dropping the Connection closes the descriptor.
                connections.remove(&fd);
                pause.end();
            }
        }
    }
}
// ANCHOR_END: run
