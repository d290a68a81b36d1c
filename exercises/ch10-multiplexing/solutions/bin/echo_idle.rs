//! Exercise 10.1, a reference solution: `echo_poll` with an idle timeout.

use std::collections::HashMap;
use std::env;
use std::io::{self, Write};
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ch10_multiplexing::{AcceptPause, Accepted, Connection, accept, listen, raise_nofile_limit};
use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

const PROGRAM: &str = "echo_idle";

struct Client {
    connection: Connection,
    /// When it is closed unless something is read or written first.
    deadline: Instant,
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let addr = args.first().map_or("127.0.0.1:7878", String::as_str);
    let idle = match args.get(1).map(|ms| ms.parse::<u64>()) {
        None => Duration::from_secs(10),
        Some(Ok(ms)) if ms > 0 => Duration::from_millis(ms),
        _ => {
            eprintln!("usage: {PROGRAM} [addr [idle-ms]]  (idle-ms: a positive number)");
            return ExitCode::from(2);
        }
    };
    match run(addr, idle) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{PROGRAM}: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(addr: &str, idle: Duration) -> io::Result<()> {
    raise_nofile_limit()?;
    let listener = listen(addr)?;
    listener.set_nonblocking(true)?;
    println!("listening on {}", listener.local_addr()?);
    let mut clients: HashMap<RawFd, Client> = HashMap::new();
    let mut pause = AcceptPause::default();
    loop {
        // Close whoever is past its deadline: a short write that would
        // block is simply lost, the close is what matters.
        let now = Instant::now();
        let before = clients.len();
        clients.retain(|_, client| {
            if client.deadline > now {
                return true;
            }
            let _ = (&client.connection.stream).write(b"idle timeout\n");
            false
        });
        if clients.len() < before {
            pause.end();
        }
        // Sleep until the nearest deadline (rounded up to poll's whole
        // milliseconds, so that it is past when poll returns), or the end
        // of an accept pause, whichever comes first.
        let nearest = clients
            .values()
            .map(|client| client.deadline.saturating_duration_since(now) + Duration::from_millis(1))
            .chain(pause.timeout())
            .min();
        let timeout = match nearest {
            Some(wait) => PollTimeout::try_from(wait).unwrap_or(PollTimeout::MAX),
            None => PollTimeout::NONE,
        };
        let accepting = pause.accepting();
        let mut watched = Vec::with_capacity(clients.len() + 1);
        if accepting {
            watched.push(PollFd::new(listener.as_fd(), PollFlags::POLLIN));
        }
        for client in clients.values() {
            let interest = client.connection.interest();
            let mut events = PollFlags::empty();
            events.set(PollFlags::POLLIN, interest.read);
            events.set(PollFlags::POLLOUT, interest.write);
            watched.push(PollFd::new(client.connection.stream.as_fd(), events));
        }
        match poll(&mut watched, timeout) {
            Ok(_) => {}
            Err(Errno::EINTR) => continue,
            Err(err) => return Err(err.into()),
        }
        let ready: Vec<RawFd> = watched
            .iter()
            .filter(|fd| fd.revents().is_some_and(|revents| !revents.is_empty()))
            .map(|fd| fd.as_fd().as_raw_fd())
            .collect();
        drop(watched);
        for fd in ready {
            if fd == listener.as_raw_fd() {
                loop {
                    match accept(PROGRAM, &listener) {
                        Accepted::Client(stream) => {
                            let client = Client {
                                connection: Connection::new(stream),
                                deadline: Instant::now() + idle,
                            };
                            clients.insert(client.connection.stream.as_raw_fd(), client);
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
            let Some(client) = clients.get_mut(&fd) else {
                continue;
            };
            let moved = client.connection.moved();
            let result = client.connection.pump();
            // Any byte read or written is activity: a new deadline.
            if client.connection.moved() != moved {
                client.deadline = Instant::now() + idle;
            }
            match result {
                Ok(Some(_)) => {}
                Ok(None) => {
                    clients.remove(&fd);
                    pause.end();
                }
                Err(err) => {
                    eprintln!("{PROGRAM}: connection: {err}");
                    clients.remove(&fd);
                    pause.end();
                }
            }
        }
    }
}
