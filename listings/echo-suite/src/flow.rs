//! Many client connections driven by one thread with `poll(2)`: each sends
//! a stream of known bytes, reads the echo back at the same time (or holds
//! back), and checks every byte, in order.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

/// The bytes a flow sends: a pseudo-random table of prime length, written
/// twice in a row so that any window up to [`WINDOW`] bytes is one slice.
/// Flow `n` starts at a different offset, so a server that mixes up two
/// clients' bytes, drops or repeats some, is caught.
const TABLE: usize = 65_521;
const WINDOW: usize = 32 * 1024;

fn table() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut state: u32 = 0x9E37_79B9;
        let once: Vec<u8> = (0..TABLE)
            .map(|_| {
                // xorshift32: cheap, and far from periodic at this length.
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state >> 24) as u8
            })
            .collect();
        once.repeat(2)
    })
}

/// `len` (at most [`WINDOW`]) bytes of flow `seed`'s stream from `offset`.
fn expected(seed: usize, offset: u64, len: usize) -> &'static [u8] {
    let start = ((offset + seed as u64 * 4099) % TABLE as u64) as usize;
    &table()[start..start + len.min(WINDOW)]
}

/// One client connection, non-blocking.
pub struct Flow {
    pub stream: TcpStream,
    seed: usize,
    /// Bytes to send in all.
    pub total: u64,
    pub sent: u64,
    pub received: u64,
    /// Whether to read the echo; a flow that holds back reads nothing.
    pub reading: bool,
    /// Whether to shut down the write side once everything is sent.
    pub half_close: bool,
    shut: bool,
    /// The server closed its side (read returned 0).
    pub eof: bool,
}

impl Flow {
    /// Connects to `addr` and prepares to send `total` bytes, with the
    /// kernel's default buffer sizes.
    pub fn connect(addr: SocketAddr, seed: usize, total: u64) -> io::Result<Flow> {
        let stream = TcpStream::connect_timeout(&addr, harness::DEADLINE)?;
        stream.set_nonblocking(true)?;
        Ok(Flow {
            stream,
            seed,
            total,
            sent: 0,
            received: 0,
            reading: true,
            half_close: true,
            shut: false,
            eof: false,
        })
    }

    /// Like [`Flow::connect`], but with this side's send and receive
    /// buffers set small (`SO_SNDBUF`, `SO_RCVBUF`) before connecting, so
    /// that little data hides in the kernel: the server's own buffering
    /// decides what happens.
    pub fn connect_small(addr: SocketAddr, seed: usize, total: u64) -> io::Result<Flow> {
        let stream = small_buffer_stream(addr)?;
        stream.set_nonblocking(true)?;
        Ok(Flow {
            stream,
            seed,
            total,
            sent: 0,
            received: 0,
            reading: true,
            half_close: true,
            shut: false,
            eof: false,
        })
    }

    /// Everything sent, echoed and (with half-close) the server has closed.
    pub fn done(&self) -> bool {
        let sent = self.sent == self.total && (self.shut || !self.half_close);
        if !self.reading {
            return sent;
        }
        sent && self.received == self.total && (self.eof || !self.half_close)
    }

    fn wants(&self) -> libc::c_short {
        let mut events = 0;
        if self.sent < self.total || (self.half_close && !self.shut) {
            events |= libc::POLLOUT;
        }
        if self.reading && !self.eof {
            events |= libc::POLLIN;
        }
        events
    }

    /// Sends what the socket takes; returns the bytes moved.
    fn send(&mut self, name: usize) -> Result<u64, String> {
        let mut moved = 0;
        while self.sent < self.total {
            let len = (self.total - self.sent).min(WINDOW as u64) as usize;
            match self.stream.write(expected(self.seed, self.sent, len)) {
                Ok(n) => {
                    self.sent += n as u64;
                    moved += n as u64;
                }
                Err(err) if err.kind() == ErrorKind::WouldBlock => break,
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(err) => {
                    return Err(format!(
                        "client {name}: write failed after {} of {} bytes: {err}",
                        self.sent, self.total
                    ));
                }
            }
        }
        if self.sent == self.total && self.half_close && !self.shut {
            self.stream
                .shutdown(Shutdown::Write)
                .map_err(|err| format!("client {name}: shutdown: {err}"))?;
            self.shut = true;
        }
        Ok(moved)
    }

    /// Reads what has arrived and checks it; returns the bytes moved.
    fn receive(&mut self, name: usize, buf: &mut [u8]) -> Result<u64, String> {
        let mut moved = 0;
        loop {
            match self.stream.read(buf) {
                Ok(0) => {
                    self.eof = true;
                    if self.received < self.total {
                        return Err(format!(
                            "client {name}: the server closed the connection after echoing {} of {} bytes",
                            self.received, self.total
                        ));
                    }
                    return Ok(moved);
                }
                Ok(n) => {
                    if self.received + n as u64 > self.sent {
                        return Err(format!(
                            "client {name}: got {} bytes back but sent only {}",
                            self.received + n as u64,
                            self.sent
                        ));
                    }
                    let mut checked = 0;
                    while checked < n {
                        let want = expected(self.seed, self.received, n - checked);
                        let got = &buf[checked..checked + want.len()];
                        if got != want {
                            let at = got.iter().zip(want).position(|(a, b)| a != b).unwrap_or(0);
                            return Err(format!(
                                "client {name}: echoed byte {} differs from the byte sent",
                                self.received + at as u64
                            ));
                        }
                        checked += want.len();
                        self.received += want.len() as u64;
                    }
                    moved += n as u64;
                }
                Err(err) if err.kind() == ErrorKind::WouldBlock => return Ok(moved),
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(err) => {
                    return Err(format!(
                        "client {name}: read failed after {} of {} bytes echoed: {err}",
                        self.received, self.total
                    ));
                }
            }
        }
    }
}

/// A connected stream whose send and receive buffers are as small as the
/// kernel allows, set before `connect` so that the window matches.
pub fn small_buffer_stream(addr: SocketAddr) -> io::Result<TcpStream> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_recv_buffer_size(4096)?;
    socket.set_send_buffer_size(4096)?;
    socket.connect_timeout(&addr.into(), harness::DEADLINE)?;
    Ok(socket.into())
}

/// How [`drive`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Every flow is done.
    Done,
    /// No byte moved in either direction for the stall time.
    Stalled,
}

/// Moves bytes on every flow until all are done, or (with `stall`) until no
/// byte has moved for that long. Fails on any wrong byte, early close or
/// error, and when `deadline` passes.
pub fn drive(
    flows: &mut [Flow],
    deadline: Instant,
    stall: Option<Duration>,
) -> Result<Ended, String> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut last_progress = Instant::now();
    loop {
        if flows.iter().all(Flow::done) {
            return Ok(Ended::Done);
        }
        let now = Instant::now();
        if let Some(stall) = stall
            && now >= last_progress + stall
        {
            return Ok(Ended::Stalled);
        }
        if now >= deadline {
            let unfinished = flows.iter().filter(|flow| !flow.done()).count();
            let example = flows
                .iter()
                .find(|flow| !flow.done())
                .map_or(String::new(), |f| {
                    format!(
                        "; one has sent {} and got back {} of {} bytes",
                        f.sent, f.received, f.total
                    )
                });
            return Err(format!(
                "timed out: {unfinished} of {} clients unfinished{example}",
                flows.len()
            ));
        }
        let mut wait = deadline - now;
        if let Some(stall) = stall {
            wait = wait.min((last_progress + stall).saturating_duration_since(now));
        }
        let mut fds: Vec<libc::pollfd> = flows
            .iter()
            .map(|flow| libc::pollfd {
                fd: if flow.done() {
                    -1
                } else {
                    flow.stream.as_raw_fd()
                },
                events: flow.wants(),
                revents: 0,
            })
            .collect();
        let millis = wait.as_millis().clamp(1, 1000) as libc::c_int;
        // SAFETY: `fds` is a valid array of `fds.len()` pollfds.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, millis) };
        if ready < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == ErrorKind::Interrupted {
                continue;
            }
            return Err(format!("poll: {err}"));
        }
        for (name, (flow, fd)) in flows.iter_mut().zip(&fds).enumerate() {
            if fd.revents == 0 {
                continue;
            }
            let mut moved = 0;
            if fd.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0 && flow.reading {
                moved += flow.receive(name, &mut buf)?;
            }
            let sending = flow.sent < flow.total || (flow.half_close && !flow.shut);
            if fd.revents & (libc::POLLOUT | libc::POLLERR) != 0 && sending {
                moved += flow.send(name)?;
            }
            if moved > 0 {
                last_progress = Instant::now();
            }
        }
    }
}
