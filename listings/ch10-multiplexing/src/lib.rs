//! Code shared by chapter 10's echo servers: one connection's state (a
//! bounded buffer between what the client sent and what it has been sent
//! back), accepting without blocking, and raising the descriptor limit.
//! Each server decides only *when* to call them: that is its I/O model.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use nix::sys::resource::{Resource, getrlimit, setrlimit};

pub use ch09_servers::listen;

// ANCHOR: connection
/// The most bytes a server holds for one client: what it has read and not
/// yet written back. When the buffer is full, the server stops reading
/// from that client until the client reads its echo.
pub const BUFFER: usize = 64 * 1024;

/// One client of an event-driven echo server.
pub struct Connection {
    pub stream: TcpStream,
    /// Allocated on the first read: a client the server never reads from
    /// costs no buffer.
    buffer: Vec<u8>,
    /// `buffer[start..end]` is read and not yet written back.
    start: usize,
    end: usize,
    /// The client shut down its side (`read` returned 0).
    read_closed: bool,
    /// Bytes read and written so far.
    moved: u64,
}

/// What a connection waits for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interest {
    pub read: bool,
    pub write: bool,
}

impl Connection {
    /// Takes a stream that is already non-blocking.
    pub fn new(stream: TcpStream) -> Connection {
        Connection {
            stream,
            buffer: Vec::new(),
            start: 0,
            end: 0,
            read_closed: false,
            moved: 0,
        }
    }

    /// Read while there is room and the client has not shut down; write
    /// while there is something to send. Never both unwanted: a full
    /// buffer has bytes to write.
    pub fn interest(&self) -> Interest {
        Interest {
            read: !self.read_closed && self.end < BUFFER,
            write: self.start < self.end,
        }
    }

    /// How many bytes this connection has read and written so far.
    pub fn moved(&self) -> u64 {
        self.moved
    }

    /// Reads and writes until each direction would block (`WouldBlock`)
    /// or has nothing to do. Returns what to wait for next, `None` once the
    /// echo is complete (the client shut down and has everything back: drop
    /// the connection to close it), or the error that ended it.
    pub fn pump(&mut self) -> io::Result<Option<Interest>> {
        loop {
            let mut progress = false;
            while self.start < self.end {
                match (&self.stream).write(&self.buffer[self.start..self.end]) {
                    Ok(n) => {
                        self.start += n;
                        self.moved += n as u64;
                        progress = true;
                    }
                    Err(err) if err.kind() == ErrorKind::WouldBlock => break,
                    Err(err) if err.kind() == ErrorKind::Interrupted => {}
                    Err(err) => return Err(err),
                }
            }
            if self.start == self.end {
                (self.start, self.end) = (0, 0);
                if self.read_closed {
                    return Ok(None);
                }
            }
            if !self.read_closed && self.buffer.is_empty() {
                self.buffer = vec![0; BUFFER];
            }
            while !self.read_closed && self.end < BUFFER {
                match (&self.stream).read(&mut self.buffer[self.end..]) {
                    Ok(0) => self.read_closed = true,
                    Ok(n) => {
                        self.end += n;
                        self.moved += n as u64;
                    }
                    Err(err) if err.kind() == ErrorKind::WouldBlock => break,
                    Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                    Err(err) => return Err(err),
                }
                progress = true;
            }
            // Nothing moved: both directions would block, or wait for the
            // other (a full buffer waits for a write, an empty one for a
            // read). This is the point to wait for readiness.
            if !progress {
                return Ok(Some(self.interest()));
            }
        }
    }
}
// ANCHOR_END: connection

// ANCHOR: accept
/// What one `accept` on a non-blocking listener gave.
pub enum Accepted {
    /// A new client, its stream already non-blocking.
    Client(TcpStream),
    /// No connection is waiting: the listen queue is drained.
    Drained,
    /// Out of descriptors (or memory): stop accepting until a connection
    /// closes, or for [`ACCEPT_PAUSE`], whichever comes first. Retrying at
    /// once would fail again at once: a busy loop.
    Pause,
}

/// How long a server stops accepting after running out of descriptors.
pub const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// Accepts one connection from a non-blocking listener.
pub fn accept(program: &str, listener: &TcpListener) -> Accepted {
    loop {
        match listener.accept() {
            Ok((stream, _peer)) => match stream.set_nonblocking(true) {
                Ok(()) => return Accepted::Client(stream),
                Err(err) => eprintln!("{program}: set_nonblocking: {err}"),
            },
            Err(err) if err.kind() == ErrorKind::WouldBlock => return Accepted::Drained,
            Err(err) => {
                eprintln!("{program}: accept: {err}");
                if let Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM) =
                    err.raw_os_error()
                {
                    return Accepted::Pause;
                }
                // ECONNABORTED, EINTR, …: that connection is gone; try the next.
            }
        }
    }
}
// ANCHOR_END: accept

/// When a server that ran out of descriptors accepts again.
#[derive(Debug, Default)]
pub struct AcceptPause {
    until: Option<Instant>,
}

impl AcceptPause {
    /// Stop accepting for [`ACCEPT_PAUSE`].
    pub fn start(&mut self) {
        self.until = Some(Instant::now() + ACCEPT_PAUSE);
    }

    /// A connection closed: a descriptor is free, accept again.
    pub fn end(&mut self) {
        self.until = None;
    }

    /// Whether to accept now (ending a pause whose time is up).
    pub fn accepting(&mut self) -> bool {
        match self.until {
            Some(until) if Instant::now() < until => false,
            _ => {
                self.until = None;
                true
            }
        }
    }

    /// How long a wait for readiness may last: until the pause ends, or
    /// for ever (`None`) when not paused.
    pub fn timeout(&self) -> Option<Duration> {
        self.until
            .map(|until| until.saturating_duration_since(Instant::now()))
    }
}

/// Raises this process's soft limit on open descriptors to its hard limit
/// and returns the new soft limit. A server that multiplexes thousands of
/// connections needs thousands of descriptors; the soft limit is often
/// 1,024.
pub fn raise_nofile_limit() -> nix::Result<u64> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft < hard {
        setrlimit(Resource::RLIMIT_NOFILE, hard, hard)?;
    }
    Ok(hard)
}

/// The shared `main` of the echo servers: the address from the first
/// argument (default `127.0.0.1:7878`), `run`, and an error message and
/// exit status 1 if it fails.
pub fn serve(program: &str, run: fn(&str) -> io::Result<()>) -> std::process::ExitCode {
    let addr = std::env::args().nth(1);
    let addr = addr.as_deref().unwrap_or("127.0.0.1:7878");
    match run(addr) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{program}: {addr}: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
