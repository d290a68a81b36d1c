//! `echo_epoll_et [addr]`: an echo server in one thread with `epoll(7)`,
//! edge-triggered: each descriptor is registered once, for reading and
//! writing, and every event is drained until `WouldBlock`.

use std::collections::HashMap;
use std::io;
use std::net::TcpListener;
use std::os::fd::{AsRawFd, RawFd};
use std::process::ExitCode;

use ch10_multiplexing::{
    AcceptPause, Accepted, Connection, accept, listen, raise_nofile_limit, serve,
};
use nix::errno::Errno;
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

const PROGRAM: &str = "echo_epoll_et";

fn main() -> ExitCode {
    serve(PROGRAM, run)
}

// ANCHOR: run
fn run(addr: &str) -> io::Result<()> {
    raise_nofile_limit()?;
    let listener = listen(addr)?;
    listener.set_nonblocking(true)?;
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    let listener_key = listener.as_raw_fd() as u64;
    let edge = EpollFlags::EPOLLIN | EpollFlags::EPOLLET;
    epoll.add(&listener, EpollEvent::new(edge, listener_key))?;
    let mut connections: HashMap<RawFd, Connection> = HashMap::new();
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
        // Connections still queued after a pause raise no new edge: when
        // the pause is over, accept without waiting to be told.
        if pause.timeout().is_some() && pause.accepting() {
            accept_all(&epoll, &listener, &mut connections, &mut pause)?;
        }
        for event in &events[..ready] {
            let key = event.data();
            if key == listener_key {
                accept_all(&epoll, &listener, &mut connections, &mut pause)?;
                continue;
            }
            let fd = key as RawFd;
            let Some(connection) = connections.get_mut(&fd) else {
                continue;
            };
            // pump() is the drain loop: it reads and writes until both
            // would block. Stopping earlier would leave bytes that no new
            // edge announces.
            match connection.pump() {
                Ok(Some(_)) => {}
                result => {
                    if let Err(err) = result {
                        eprintln!("{PROGRAM}: connection: {err}");
                    }
                    connections.remove(&fd);
                    if pause.timeout().is_some() {
                        pause.end();
                        accept_all(&epoll, &listener, &mut connections, &mut pause)?;
                    }
                }
            }
        }
    }
}

/// Accepts until the listen queue is drained (or descriptors run out),
/// registering each connection once for both directions.
fn accept_all(
    epoll: &Epoll,
    listener: &TcpListener,
    connections: &mut HashMap<RawFd, Connection>,
    pause: &mut AcceptPause,
) -> io::Result<()> {
    loop {
        match accept(PROGRAM, listener) {
            Accepted::Client(stream) => {
                let key = stream.as_raw_fd();
                let flags = EpollFlags::EPOLLIN | EpollFlags::EPOLLOUT | EpollFlags::EPOLLET;
                epoll.add(&stream, EpollEvent::new(flags, key as u64))?;
                // Bytes that came before the registration are not lost:
                // EPOLL_CTL_ADD reports a descriptor that is ready already.
                connections.insert(key, Connection::new(stream));
            }
            Accepted::Drained => return Ok(()),
            Accepted::Pause => {
                pause.start();
                return Ok(());
            }
        }
    }
}
// ANCHOR_END: run
