//! `echo_epoll [addr]`: an echo server in one thread, waiting for every
//! client at once with `epoll(7)`, level-triggered.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::process::ExitCode;

use ch10_multiplexing::{
    AcceptPause, Accepted, Connection, Interest, accept, listen, raise_nofile_limit, serve,
};
use nix::errno::Errno;
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

const PROGRAM: &str = "echo_epoll";

fn main() -> ExitCode {
    serve(PROGRAM, run)
}

// ANCHOR: flags
/// The epoll events for an interest, level-triggered: reported on every
/// `epoll_wait` for as long as the condition holds.
fn flags(interest: Interest) -> EpollFlags {
    let mut flags = EpollFlags::empty();
    flags.set(EpollFlags::EPOLLIN, interest.read);
    flags.set(EpollFlags::EPOLLOUT, interest.write);
    flags
}
// ANCHOR_END: flags

// ANCHOR: run
fn run(addr: &str) -> io::Result<()> {
    raise_nofile_limit()?;
    let listener = listen(addr)?;
    listener.set_nonblocking(true)?;
    // The interest list lives in the kernel: register once, change it
    // when it changes, and each wait returns only what is ready.
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    let listener_key = listener.as_raw_fd() as u64;
    epoll.add(
        &listener,
        EpollEvent::new(EpollFlags::EPOLLIN, listener_key),
    )?;
    // Each connection with the interest it is registered with.
    let mut connections: HashMap<RawFd, (Connection, Interest)> = HashMap::new();
    let mut pause = AcceptPause::default();
    let mut events = vec![EpollEvent::empty(); 256];
    // Announce the address once everything is set up.
    println!("listening on {}", listener.local_addr()?);
    loop {
        let timeout = match pause.timeout() {
            Some(wait) => EpollTimeout::try_from(wait).unwrap_or(EpollTimeout::MAX),
            None => EpollTimeout::NONE,
        };
        let ready = match epoll.wait(&mut events, timeout) {
            Ok(ready) => ready,
            Err(Errno::EINTR) => continue,
            Err(err) => return Err(err.into()),
        };
        if pause.timeout().is_some() && pause.accepting() {
            epoll.add(
                &listener,
                EpollEvent::new(EpollFlags::EPOLLIN, listener_key),
            )?;
        }
        for event in &events[..ready] {
            let key = event.data();
            if key == listener_key {
                loop {
                    match accept(PROGRAM, &listener) {
                        Accepted::Client(stream) => {
                            let interest = Interest {
                                read: true,
                                write: false,
                            };
                            let key = stream.as_raw_fd() as u64;
                            epoll.add(&stream, EpollEvent::new(flags(interest), key))?;
                            let connection = Connection::new(stream);
                            connections.insert(key as RawFd, (connection, interest));
                        }
                        Accepted::Drained => break,
                        Accepted::Pause => {
                            // Level-triggered: a listener with connections
                            // queued would be reported again at once. Take
                            // it out of the interest list for the pause.
                            epoll.delete(&listener)?;
                            pause.start();
                            break;
                        }
                    }
                }
                continue;
            }
            let fd = key as RawFd;
            let Some((connection, registered)) = connections.get_mut(&fd) else {
                continue;
            };
            match connection.pump() {
                Ok(Some(interest)) => {
                    if interest != *registered {
                        let mut event = EpollEvent::new(flags(interest), key);
                        epoll.modify(&connection.stream, &mut event)?;
                        *registered = interest;
                    }
                }
                result => {
                    if let Err(err) = result {
                        eprintln!("{PROGRAM}: connection: {err}");
                    }
                    // Closing the descriptor removes it from the interest
                    // list (it is this socket's only descriptor).
                    connections.remove(&fd);
                    if pause.timeout().is_some() {
                        pause.end();
                        epoll.add(
                            &listener,
                            EpollEvent::new(EpollFlags::EPOLLIN, listener_key),
                        )?;
                    }
                }
            }
        }
    }
}
// ANCHOR_END: run
