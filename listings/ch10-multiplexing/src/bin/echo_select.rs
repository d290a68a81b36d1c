//! `echo_select [addr]`: an echo server in one thread, waiting for every
//! client at once with `select(2)`. It can watch only descriptors below
//! `FD_SETSIZE` (1,024): a client whose descriptor is higher is refused.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::process::ExitCode;

use ch10_multiplexing::{
    AcceptPause, Accepted, Connection, accept, listen, raise_nofile_limit, serve,
};
use nix::errno::Errno;
use nix::sys::select::{FdSet, select};
use nix::sys::time::{TimeVal, TimeValLike};

const PROGRAM: &str = "echo_select";

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
    loop {
        // select overwrites its sets with the answer: fill them afresh
        // before every call.
        let mut readable = FdSet::new();
        let mut writable = FdSet::new();
        if pause.accepting() {
            readable.insert(listener.as_fd());
        }
        for connection in connections.values() {
            let interest = connection.interest();
            if interest.read {
                readable.insert(connection.stream.as_fd());
            }
            if interest.write {
                writable.insert(connection.stream.as_fd());
            }
        }
        let mut timeout = pause
            .timeout()
            .map(|wait| TimeVal::microseconds(wait.as_micros() as i64));
        // nfds = None: nix passes the highest descriptor in the sets + 1.
        match select(None, &mut readable, &mut writable, None, timeout.as_mut()) {
            Ok(_) => {}
            Err(Errno::EINTR) => continue,
            Err(err) => return Err(err.into()),
        }
        // The sets borrow the connections: collect the answer first.
        let listener_ready = readable.contains(listener.as_fd());
        let ready: Vec<RawFd> = connections
            .iter()
            .filter(|(_, connection)| {
                let fd = connection.stream.as_fd();
                readable.contains(fd) || writable.contains(fd)
            })
            .map(|(fd, _)| *fd)
            .collect();
        if listener_ready {
            accept_all(&listener, &mut connections, &mut pause);
        }
        for fd in ready {
            let connection = connections.get_mut(&fd).expect("ready means present");
            match connection.pump() {
                Ok(Some(_)) => {}
                result => {
                    if let Err(err) = result {
                        eprintln!("{PROGRAM}: connection: {err}");
                    }
                    connections.remove(&fd);
                    pause.end();
                }
            }
        }
    }
}
// ANCHOR_END: run

// ANCHOR: accept
fn accept_all(
    listener: &std::net::TcpListener,
    connections: &mut HashMap<RawFd, Connection>,
    pause: &mut AcceptPause,
) {
    loop {
        match accept(PROGRAM, listener) {
            Accepted::Client(stream) => {
                let fd = stream.as_raw_fd();
                // An fd_set is a bitmap of FD_SETSIZE bits: a higher
                // descriptor does not fit (nix's FdSet::insert panics; C's
                // FD_SET writes past the end). Refuse the client: dropping
                // the stream closes it.
                if fd >= libc::FD_SETSIZE as RawFd {
                    eprintln!(
                        "{PROGRAM}: descriptor {fd} is not below FD_SETSIZE ({}): \
                         connection refused",
                        libc::FD_SETSIZE
                    );
                    continue;
                }
                connections.insert(fd, Connection::new(stream));
            }
            Accepted::Drained => return,
            Accepted::Pause => {
                pause.start();
                return;
            }
        }
    }
}
// ANCHOR_END: accept
