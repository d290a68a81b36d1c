//! `echo_mio [addr]`: the edge-triggered echo server on mio, which uses
//! epoll on Linux, kqueue on the BSDs and macOS, and IOCP on Windows.

use std::collections::HashMap;
use std::io::{self, ErrorKind};
use std::net::TcpListener;
use std::os::fd::AsRawFd;
use std::process::ExitCode;

use ch10_multiplexing::{
    AcceptPause, Accepted, Connection, accept, listen, raise_nofile_limit, serve,
};
use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Registry, Token};

const PROGRAM: &str = "echo_mio";

/// The listener's token; connections get 1, 2, 3, … in order.
const LISTENER: Token = Token(0);

fn main() -> ExitCode {
    serve(PROGRAM, run)
}

// ANCHOR: run
fn run(addr: &str) -> io::Result<()> {
    raise_nofile_limit()?;
    let listener = listen(addr)?;
    listener.set_nonblocking(true)?;
    let mut poll = Poll::new()?;
    // SourceFd registers any descriptor; mio::net's types do it for you.
    let listener_fd = listener.as_raw_fd();
    poll.registry()
        .register(&mut SourceFd(&listener_fd), LISTENER, Interest::READABLE)?;
    // A token is any number you choose: here a counter, never reused, so a
    // late event for a closed connection cannot reach a new one.
    let mut connections: HashMap<Token, Connection> = HashMap::new();
    let mut next = 1;
    let mut pause = AcceptPause::default();
    let mut events = Events::with_capacity(256);
    // Announce the address once everything is set up.
    println!("listening on {}", listener.local_addr()?);
    loop {
        match poll.poll(&mut events, pause.timeout()) {
            Ok(()) => {}
            Err(err) if err.kind() == ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        }
        let mut resume = pause.timeout().is_some() && pause.accepting();
        for event in &events {
            match event.token() {
                LISTENER => resume = true,
                token => {
                    let Some(connection) = connections.get_mut(&token) else {
                        continue;
                    };
                    // mio is edge-triggered: drain, as echo_epoll_et does.
                    match connection.pump() {
                        Ok(Some(_)) => {}
                        result => {
                            if let Err(err) = result {
                                eprintln!("{PROGRAM}: connection: {err}");
                            }
                            let connection = connections.remove(&token).unwrap();
                            let fd = connection.stream.as_raw_fd();
                            poll.registry().deregister(&mut SourceFd(&fd))?;
                            if pause.timeout().is_some() {
                                pause.end();
                                resume = true;
                            }
                        }
                    }
                }
            }
        }
        if resume {
            accept_all(
                poll.registry(),
                &listener,
                &mut connections,
                &mut next,
                &mut pause,
            )?;
        }
    }
}

fn accept_all(
    registry: &Registry,
    listener: &TcpListener,
    connections: &mut HashMap<Token, Connection>,
    next: &mut usize,
    pause: &mut AcceptPause,
) -> io::Result<()> {
    loop {
        match accept(PROGRAM, listener) {
            Accepted::Client(stream) => {
                let token = Token(*next);
                *next += 1;
                let fd = stream.as_raw_fd();
                let both = Interest::READABLE | Interest::WRITABLE;
                registry.register(&mut SourceFd(&fd), token, both)?;
                connections.insert(token, Connection::new(stream));
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
