//! One connection served with blocking I/O, as chapter 5 did: the thread
//! waits in read(2) and write(2), with SO_RCVTIMEO and SO_SNDTIMEO as its
//! deadlines. `fs_threads` gives every connection a thread of its own;
//! `fs_pool` lends a few threads to many connections, one request at a time.

use std::fs::File;
use std::io::{self, Read};
use std::net::{Shutdown, TcpStream};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use ch05_http::{ParseError, Status};
use nix::errno::Errno;
use nix::sys::sendfile::sendfile64;
use nix::sys::socket::{MsgFlags, send};

use crate::reply::{Answer, MAX_BODY, Scan, answer, body_to_skip, refusal, take_head};
use crate::setup::Slot;

/// A connection and the bytes read from it but not used yet.
pub struct Conn {
    pub stream: TcpStream,
    buf: Vec<u8>,
    /// When its last response went out (or when it was accepted).
    pub idle_since: Instant,
    _slot: Slot,
}

/// What waiting for the next request found.
#[derive(PartialEq, Eq, Debug)]
pub enum Wait {
    Request,
    Idle,
    Closed,
}

// ANCHOR: conn
impl Conn {
    pub fn new(stream: TcpStream, slot: Slot) -> io::Result<Conn> {
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::new(),
            idle_since: Instant::now(),
            _slot: slot,
        })
    }

    /// Waits at most `wait` for the first bytes of the next request
    /// (none if a pipelined one is already buffered).
    pub fn wait_for_request(&mut self, wait: Duration) -> io::Result<Wait> {
        if !self.buf.is_empty() {
            return Ok(Wait::Request);
        }
        // Idle: no buffer, as in fileserver.
        self.buf = Vec::new();
        self.stream.set_read_timeout(Some(wait))?;
        let mut first = [0; 4096];
        loop {
            return match self.stream.read(&mut first) {
                Ok(0) => Ok(Wait::Closed),
                Ok(n) => {
                    self.buf.extend_from_slice(&first[..n]);
                    Ok(Wait::Request)
                }
                Err(err) if is_timeout(&err) => Ok(Wait::Idle),
                // See `read_some`.
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => Err(err),
            };
        }
    }

    /// Reads, answers and sends the request at the front of the buffer.
    /// Returns whether the connection stays open for another one.
    pub fn serve_one(&mut self, root: &File, timeout: Duration) -> io::Result<bool> {
        let deadline = Instant::now() + timeout;
        let (mut eof, mut scan) = (false, Scan::default());
        let request = loop {
            if let Some(request) = take_head(&mut self.buf, eof, &mut scan) {
                break request;
            }
            match read_some(&self.stream, &mut self.buf, deadline) {
                Ok(0) => eof = true,
                Ok(_) => {}
                Err(error) => {
                    let started = !self.buf.is_empty();
                    break Err(ParseError::Io { error, started });
                }
            }
        };
        let request = match request {
            Ok(request) => request,
            Err(ParseError::Closed) => return Ok(false),
            Err(ParseError::Io { error, started }) if is_timeout(&error) => {
                if !started {
                    return Ok(false);
                }
                return self.refuse(Status::REQUEST_TIMEOUT, timeout);
            }
            Err(ParseError::Io { error, .. }) => return Err(error),
            Err(err) => return self.refuse(err.status().unwrap_or(Status::BAD_REQUEST), timeout),
        };
        let mut skip = match body_to_skip(&request) {
            Ok(skip) => skip,
            Err(status) => return self.refuse(status, timeout),
        };
        while skip > 0 {
            let buffered = (self.buf.len() as u64).min(skip);
            self.buf.drain(..buffered as usize);
            skip -= buffered;
            if skip > 0 {
                match read_some(&self.stream, &mut self.buf, deadline) {
                    Ok(1..) => {}
                    // The client ended its half before its body did.
                    Ok(0) => return self.refuse(Status::BAD_REQUEST, timeout),
                    Err(_) => return self.refuse(Status::REQUEST_TIMEOUT, timeout),
                }
            }
        }
        let answer = answer(&request, root, false);
        let keep_alive = answer.keep_alive;
        send_answer(&self.stream, answer, timeout)?;
        if !keep_alive {
            close_gracefully(&self.stream, &mut self.buf, Instant::now() + timeout);
        }
        self.idle_since = Instant::now();
        Ok(keep_alive)
    }

    fn refuse(&mut self, status: Status, timeout: Duration) -> io::Result<bool> {
        send_answer(&self.stream, refusal(status), timeout)?;
        close_gracefully(&self.stream, &mut self.buf, Instant::now() + timeout);
        Ok(false)
    }
}
// ANCHOR_END: conn

// ANCHOR: io
/// Reads what has arrived (at most 4 KiB) onto the end of `buf`, failing
/// with `TimedOut` once `deadline` has passed: SO_RCVTIMEO is set to the
/// time left before each read, so one byte a second cannot extend it.
fn read_some(stream: &TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> io::Result<usize> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_read_timeout(Some(left))?;
        let old = buf.len();
        buf.resize(old + 4096, 0);
        let read = (&*stream).read(&mut buf[old..]);
        buf.truncate(old + *read.as_ref().unwrap_or(&0));
        match read {
            // A socket with a timeout fails with EINTR when the process
            // is stopped and continued (Ctrl-Z, then fg), even with no
            // signal handler (signal(7)); `read` does not retry it.
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            read => return read,
        }
    }
}

/// SO_RCVTIMEO and SO_SNDTIMEO expiring show up as EAGAIN (`WouldBlock`).
fn is_timeout(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Writes the head (with MSG_MORE if a file follows), then the file with
/// sendfile(2). SO_SNDTIMEO bounds each wait for room in the socket buffer.
fn send_answer(stream: &TcpStream, answer: Answer, timeout: Duration) -> io::Result<()> {
    stream.set_write_timeout(Some(timeout))?;
    let mut flags = MsgFlags::MSG_NOSIGNAL;
    if answer.file.is_some() {
        flags |= MsgFlags::from_bits_retain(libc::MSG_MORE);
    }
    let mut head = answer.head.as_bytes();
    while !head.is_empty() {
        match send(std::os::fd::AsRawFd::as_raw_fd(stream), head, flags) {
            Ok(sent) => head = &head[sent..],
            Err(Errno::EINTR) => continue, // see `read_some`
            Err(err) => return Err(err.into()),
        }
    }
    let Some(part) = answer.file else {
        return Ok(());
    };
    let mut offset = i64::try_from(part.offset).map_err(io::Error::other)?;
    let mut length = part.length;
    while length > 0 {
        let chunk = usize::try_from(length).unwrap_or(usize::MAX).min(1 << 30);
        match sendfile64(stream.as_fd(), part.file.as_fd(), Some(&mut offset), chunk) {
            Ok(0) => return Err(io::Error::other("file shrank while being sent")),
            Ok(n) => length -= n as u64,
            Err(Errno::EINTR) => continue,
            Err(err) => return Err(err.into()),
        }
    }
    Ok(())
}

/// FIN first, then read and discard what the client still sends (at most
/// `MAX_BODY` bytes, until `deadline`), so that closing sends no reset.
fn close_gracefully(stream: &TcpStream, buf: &mut Vec<u8>, deadline: Instant) {
    let _ = stream.shutdown(Shutdown::Write);
    let mut discarded = 0;
    while discarded < MAX_BODY {
        buf.clear();
        match read_some(stream, buf, deadline) {
            Ok(n @ 1..) => discarded += n as u64,
            _ => return,
        }
    }
}
// ANCHOR_END: io
