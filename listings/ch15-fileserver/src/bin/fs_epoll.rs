//! `fs_epoll ADDR ROOT [--workers N] [--head-timeout SECS] [--idle-timeout
//! SECS] [--max-connections N]`: the file server as event loops on
//! epoll(7), chapter 10's model: non-blocking sockets, each connection a
//! state machine, one loop per core (N, by default the number of CPUs),
//! each with its own listening socket on the same port (SO_REUSEPORT).

use std::io::{self, Read};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use ch05_http::{ParseError, Request, Status};
use ch15_fileserver::reply::{Answer, MAX_BODY, Scan, answer, body_to_skip, refusal, take_head};
use ch15_fileserver::setup::{Config, Slot, Slots, config, listen};
use nix::errno::Errno;
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};
use nix::sys::sendfile::sendfile64;
use nix::sys::socket::{MsgFlags, send};

/// How often each loop looks for connections past their deadline.
const TICK: Duration = Duration::from_millis(50);
/// The epoll key of the listening socket; connections are keyed by index.
const LISTENER: u64 = u64::MAX;

// ANCHOR: state
/// Where a connection is in its exchange. Each state names what it waits
/// for, and `Conn::deadline` says until when.
enum State {
    /// For the first byte of the next request (the idle timeout).
    Idle,
    /// For the rest of a head (the head deadline).
    Head,
    /// For `left` more bytes of `request`'s body, thrown away.
    Body { request: Request, left: u64 },
    /// For room in the socket buffer: `sent` bytes of the head are out,
    /// then the file follows (each wait bounded by the head timeout).
    Send { answer: Answer, sent: usize },
    /// After the last answer: FIN sent, reading what the client still
    /// sends until it closes, so that closing sends no reset.
    Closing { discarded: u64 },
}

struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    /// How far `take_head` has looked into `buf`.
    scan: Scan,
    eof: bool,
    state: State,
    deadline: Instant,
    /// Whether epoll watches it for EPOLLOUT (else for EPOLLIN).
    writing: bool,
    _slot: Slot,
}

/// What `pump` needs next.
enum Step {
    Wait { write: bool },
    Close,
}
// ANCHOR_END: state

fn main() -> ExitCode {
    let config = Arc::new(config("fs_epoll"));
    let loops = config
        .workers
        .unwrap_or_else(|| thread::available_parallelism().map_or(1, usize::from));
    // The first socket picks the port (port 0), the others join it.
    let mut listeners = Vec::new();
    let mut addr = config.addr.clone();
    for _ in 0..loops {
        match listen(&addr, true) {
            Ok(listener) => {
                if let Ok(local) = listener.local_addr() {
                    addr = local.to_string();
                }
                listeners.push(listener);
            }
            Err(err) => {
                eprintln!("fs_epoll: {addr}: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("listening on {addr}");
    let slots = Slots::new(config.max_connections);
    let mut handles = Vec::new();
    for listener in listeners {
        let (config, slots) = (Arc::clone(&config), slots.clone());
        handles.push(thread::spawn(move || {
            // A loop fails only if epoll itself does: the whole server
            // stops, rather than a loop and its port share silently.
            if let Err(err) = event_loop(listener, &config, &slots) {
                eprintln!("fs_epoll: {err}");
                std::process::exit(1);
            }
        }));
    }
    for handle in handles {
        let _ = handle.join();
    }
    ExitCode::SUCCESS
}

// ANCHOR: loop
fn event_loop(listener: TcpListener, config: &Config, slots: &Slots) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    epoll.add(&listener, EpollEvent::new(EpollFlags::EPOLLIN, LISTENER))?;
    // The connections, keyed by their index; `free` lists empty places.
    let mut conns: Vec<Option<Conn>> = Vec::new();
    let mut free: Vec<usize> = Vec::new();
    let mut events = vec![EpollEvent::empty(); 256];
    let tick = EpollTimeout::try_from(TICK).expect("50 ms fits");
    let mut next_sweep = Instant::now() + TICK;
    // Set while the listener is not watched, after accept failed.
    let mut accept_paused: Option<Instant> = None;
    loop {
        let ready = match epoll.wait(&mut events, tick) {
            Ok(ready) => ready,
            Err(Errno::EINTR) => 0,
            Err(err) => return Err(err.into()),
        };
        for event in &events[..ready] {
            if event.data() == LISTENER {
                accept_paused =
                    accept_all(&listener, &epoll, config, slots, &mut conns, &mut free)?;
                continue;
            }
            let key = event.data() as usize;
            if let Some(conn) = conns.get_mut(key).and_then(Option::as_mut) {
                let step = conn.pump(config);
                settle(&epoll, &mut conns, &mut free, key, step);
            }
        }
        // The timers: every connection has one deadline, checked by a
        // sweep every TICK rather than kept in a sorted structure.
        let now = Instant::now();
        if now >= next_sweep {
            next_sweep = now + TICK;
            for key in 0..conns.len() {
                if let Some(conn) = conns[key].as_mut()
                    && conn.deadline <= now
                {
                    let step = conn.expire(config);
                    settle(&epoll, &mut conns, &mut free, key, step);
                }
            }
            if accept_paused.is_some_and(|until| until <= now) {
                accept_paused = None;
                epoll.modify(
                    &listener,
                    &mut EpollEvent::new(EpollFlags::EPOLLIN, LISTENER),
                )?;
            }
        }
    }
}

fn accept_all(
    listener: &TcpListener,
    epoll: &Epoll,
    config: &Config,
    slots: &Slots,
    conns: &mut Vec<Option<Conn>>,
    free: &mut Vec<usize>,
) -> io::Result<Option<Instant>> {
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(None),
            Err(err) => {
                // EMFILE, say: the connection stays in the backlog, and
                // the listener stays readable, so watching it would spin.
                // It is left alone for 100 ms (the sweep watches it
                // again); the connections open go on being served.
                eprintln!("fs_epoll: accept: {err}");
                let none = &mut EpollEvent::new(EpollFlags::empty(), LISTENER);
                epoll.modify(listener, none)?;
                return Ok(Some(Instant::now() + Duration::from_millis(100)));
            }
        };
        let Some(slot) = slots.take(&stream) else {
            continue; // over the limit: it got a 503
        };
        // An error here is this connection's alone: dropping it closes it.
        if stream.set_nonblocking(true).is_err() || stream.set_nodelay(true).is_err() {
            continue;
        }
        let key = free.pop().unwrap_or_else(|| {
            conns.push(None);
            conns.len() - 1
        });
        if let Err(err) = epoll.add(&stream, EpollEvent::new(EpollFlags::EPOLLIN, key as u64)) {
            eprintln!("fs_epoll: epoll_ctl: {err}");
            free.push(key);
            continue;
        }
        conns[key] = Some(Conn {
            stream,
            buf: Vec::new(),
            scan: Scan::default(),
            eof: false,
            state: State::Idle,
            deadline: Instant::now() + config.idle_timeout,
            writing: false,
            _slot: slot,
        });
    }
}

/// Acts on what a connection needs next: close it, or watch it for the
/// readiness it waits for (telling epoll only when that changes).
fn settle(
    epoll: &Epoll,
    conns: &mut [Option<Conn>],
    free: &mut Vec<usize>,
    key: usize,
    step: Step,
) {
    let Some(conn) = conns[key].as_mut() else {
        return;
    };
    let close = match step {
        Step::Close => true,
        Step::Wait { write } if write != conn.writing => {
            let flags = if write {
                EpollFlags::EPOLLOUT
            } else {
                EpollFlags::EPOLLIN
            };
            conn.writing = write;
            // Failing (ENOMEM), it is closed: the error is its alone.
            epoll
                .modify(&conn.stream, &mut EpollEvent::new(flags, key as u64))
                .is_err()
        }
        Step::Wait { .. } => false,
    };
    // Closing its only descriptor takes it out of the interest list.
    if close {
        conns[key] = None;
        free.push(key);
    }
}
// ANCHOR_END: loop

// ANCHOR: pump
impl Conn {
    /// Makes all the progress that needs no waiting: reads, parses,
    /// answers, writes, until a read or a write would block.
    fn pump(&mut self, config: &Config) -> Step {
        let waiting_to_read = Step::Wait { write: false };
        loop {
            let state = std::mem::replace(&mut self.state, State::Idle);
            self.state = match state {
                State::Idle if self.buf.is_empty() => match self.fill() {
                    Ok(true) if self.buf.is_empty() => return Step::Close, // end of stream
                    Ok(true) => State::Idle,
                    Ok(false) => return waiting_to_read, // and Idle stays
                    Err(_) => return Step::Close,
                },
                State::Idle => {
                    self.deadline = Instant::now() + config.head_timeout;
                    State::Head
                }
                State::Head => match take_head(&mut self.buf, self.eof, &mut self.scan) {
                    None => match self.fill() {
                        Ok(true) => State::Head,
                        Ok(false) => {
                            self.state = State::Head;
                            return waiting_to_read;
                        }
                        Err(_) => return Step::Close,
                    },
                    Some(Ok(request)) => match body_to_skip(&request) {
                        Ok(left) => State::Body { request, left },
                        Err(status) => self.refuse(status, config),
                    },
                    Some(Err(ParseError::Closed | ParseError::Io { .. })) => return Step::Close,
                    Some(Err(err)) => {
                        self.refuse(err.status().unwrap_or(Status::BAD_REQUEST), config)
                    }
                },
                State::Body { request, mut left } => {
                    let buffered = (self.buf.len() as u64).min(left);
                    self.buf.drain(..buffered as usize);
                    left -= buffered;
                    if left == 0 {
                        self.deadline = Instant::now() + config.head_timeout;
                        let answer = answer(&request, &config.root, false);
                        State::Send { answer, sent: 0 }
                    } else if self.eof {
                        // Cut short by the client: a bad request.
                        self.refuse(Status::BAD_REQUEST, config)
                    } else {
                        match self.fill() {
                            Ok(true) => State::Body { request, left },
                            Ok(false) => {
                                self.state = State::Body { request, left };
                                return waiting_to_read;
                            }
                            Err(_) => return Step::Close,
                        }
                    }
                }
                State::Send {
                    mut answer,
                    mut sent,
                } => match self.write(&mut answer, &mut sent, config) {
                    Ok(true) if answer.keep_alive => {
                        self.deadline = Instant::now() + config.idle_timeout;
                        if self.buf.is_empty() {
                            self.buf = Vec::new(); // idle: no buffer
                        }
                        State::Idle
                    }
                    Ok(true) => {
                        let _ = self.stream.shutdown(std::net::Shutdown::Write);
                        self.deadline = Instant::now() + config.head_timeout;
                        State::Closing { discarded: 0 }
                    }
                    Ok(false) => {
                        self.state = State::Send { answer, sent };
                        return Step::Wait { write: true };
                    }
                    Err(_) => return Step::Close,
                },
                State::Closing { discarded } => {
                    self.buf.clear();
                    match self.fill() {
                        Ok(true) if self.eof => return Step::Close,
                        Ok(true) if discarded + self.buf.len() as u64 >= MAX_BODY => {
                            return Step::Close;
                        }
                        Ok(true) => State::Closing {
                            discarded: discarded + self.buf.len() as u64,
                        },
                        Ok(false) => {
                            self.state = State::Closing { discarded };
                            return waiting_to_read;
                        }
                        Err(_) => return Step::Close,
                    }
                }
            };
        }
    }

    /// The deadline has passed: a half-read request gets 408, anything
    /// else is closed.
    fn expire(&mut self, config: &Config) -> Step {
        match &self.state {
            State::Head if !self.buf.is_empty() => {}
            State::Body { .. } => {}
            _ => return Step::Close,
        }
        self.state = self.refuse(Status::REQUEST_TIMEOUT, config);
        self.pump(config)
    }

    fn refuse(&mut self, status: Status, config: &Config) -> State {
        self.deadline = Instant::now() + config.head_timeout;
        State::Send {
            answer: refusal(status),
            sent: 0,
        }
    }
}
// ANCHOR_END: pump

// ANCHOR: io
impl Conn {
    /// One non-blocking read of at most 4 KiB onto the end of `buf`:
    /// `Ok(false)` if nothing was there (EAGAIN), `Ok(true)` if bytes or
    /// the end of the stream (`eof`) came.
    fn fill(&mut self) -> io::Result<bool> {
        let old = self.buf.len();
        self.buf.resize(old + 4096, 0);
        let read = self.stream.read(&mut self.buf[old..]);
        self.buf.truncate(old + *read.as_ref().unwrap_or(&0));
        match read {
            Ok(0) => {
                self.eof = true;
                Ok(true)
            }
            Ok(_) => Ok(true),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => Ok(false),
            Err(err) => Err(err),
        }
    }

    /// Writes as much of `answer` as the socket takes: the head with
    /// MSG_MORE if a file follows, then the file with sendfile(2), resumed
    /// where it stopped. `Ok(false)`: EAGAIN, wait for EPOLLOUT.
    fn write(
        &mut self,
        answer: &mut Answer,
        sent: &mut usize,
        config: &Config,
    ) -> io::Result<bool> {
        let fd = self.stream.as_raw_fd();
        let mut flags = MsgFlags::MSG_NOSIGNAL;
        if answer.file.is_some() {
            flags |= MsgFlags::from_bits_retain(libc::MSG_MORE);
        }
        while *sent < answer.head.len() {
            match send(fd, &answer.head.as_bytes()[*sent..], flags) {
                Ok(n) => *sent += n,
                Err(Errno::EAGAIN) => return Ok(false),
                Err(err) => return Err(err.into()),
            }
            self.deadline = Instant::now() + config.head_timeout;
        }
        if let Some(part) = answer.file.as_mut() {
            while part.length > 0 {
                let mut offset = i64::try_from(part.offset).map_err(io::Error::other)?;
                let chunk = usize::try_from(part.length)
                    .unwrap_or(usize::MAX)
                    .min(1 << 30);
                match sendfile64(
                    self.stream.as_fd(),
                    part.file.as_fd(),
                    Some(&mut offset),
                    chunk,
                ) {
                    Ok(0) => return Err(io::Error::other("file shrank while being sent")),
                    Ok(n) => {
                        part.offset += n as u64;
                        part.length -= n as u64;
                    }
                    Err(Errno::EAGAIN) => return Ok(false),
                    Err(err) => return Err(err.into()),
                }
                self.deadline = Instant::now() + config.head_timeout;
            }
        }
        Ok(true)
    }
}
// ANCHOR_END: io
