//! Exercise 10.2, a reference solution: a line broadcaster with `poll`.

use std::collections::HashMap;
use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::process::ExitCode;

use ch10_multiplexing::{AcceptPause, Accepted, accept, listen, raise_nofile_limit};
use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

const PROGRAM: &str = "broadcast_poll";
/// The longest line, `\n` included.
const MAX_LINE: usize = 1024;
/// The most bytes waiting to be sent to one client.
const MAX_PENDING: usize = 64 * 1024;

struct Client {
    stream: TcpStream,
    /// Bytes of a line not yet complete (no `\n` so far).
    input: Vec<u8>,
    /// Bytes waiting to be sent to this client.
    output: Vec<u8>,
}

impl Client {
    /// Writes what it can of `output`; `Err` ends the client.
    fn flush(&mut self) -> io::Result<()> {
        while !self.output.is_empty() {
            match self.stream.write(&self.output) {
                Ok(n) => {
                    self.output.drain(..n);
                }
                Err(err) if err.kind() == ErrorKind::WouldBlock => break,
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        Ok(())
    }

    /// Reads until `WouldBlock`, moving every complete line to `lines`.
    /// `Ok(false)` means the client is gone (end of stream) or is to be
    /// dropped (a line too long, after telling it why).
    fn read_lines(&mut self, lines: &mut Vec<Vec<u8>>) -> io::Result<bool> {
        let mut chunk = [0u8; 4096];
        loop {
            let n = match self.stream.read(&mut chunk) {
                Ok(0) => return Ok(false),
                Ok(n) => n,
                Err(err) if err.kind() == ErrorKind::WouldBlock => return Ok(true),
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            self.input.extend_from_slice(&chunk[..n]);
            while let Some(end) = self.input.iter().position(|&byte| byte == b'\n') {
                if end + 1 > MAX_LINE {
                    break;
                }
                lines.push(self.input.drain(..=end).collect());
            }
            if self.input.len() >= MAX_LINE {
                let message = format!("error: line longer than {MAX_LINE} bytes\n");
                self.output.extend_from_slice(message.as_bytes());
                let _ = self.flush();
                // Closing with unread bytes would send a reset, which can
                // destroy the message on its way: read what is there.
                while let Ok(1..) = self.stream.read(&mut chunk) {}
                return Ok(false);
            }
        }
    }
}

fn main() -> ExitCode {
    let addr = env::args().nth(1);
    let addr = addr.as_deref().unwrap_or("127.0.0.1:7878");
    match run(addr) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{PROGRAM}: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(addr: &str) -> io::Result<()> {
    raise_nofile_limit()?;
    let listener = listen(addr)?;
    listener.set_nonblocking(true)?;
    println!("listening on {}", listener.local_addr()?);
    let mut clients: HashMap<RawFd, Client> = HashMap::new();
    let mut pause = AcceptPause::default();
    loop {
        let accepting = pause.accepting();
        let mut watched = Vec::with_capacity(clients.len() + 1);
        if accepting {
            watched.push(PollFd::new(listener.as_fd(), PollFlags::POLLIN));
        }
        for client in clients.values() {
            let mut events = PollFlags::POLLIN;
            events.set(PollFlags::POLLOUT, !client.output.is_empty());
            watched.push(PollFd::new(client.stream.as_fd(), events));
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
        let ready: Vec<(RawFd, PollFlags)> = watched
            .iter()
            .filter_map(|fd| Some((fd.as_fd().as_raw_fd(), fd.revents()?)))
            .filter(|(_, revents)| !revents.is_empty())
            .collect();
        drop(watched);
        // (sender, line) in the order they were read.
        let mut broadcasts: Vec<(RawFd, Vec<u8>)> = Vec::new();
        let mut gone: Vec<RawFd> = Vec::new();
        for (fd, revents) in ready {
            if fd == listener.as_raw_fd() {
                loop {
                    match accept(PROGRAM, &listener) {
                        Accepted::Client(stream) => {
                            // Many small writes, one per line: without
                            // TCP_NODELAY, Nagle's algorithm holds each
                            // until the previous one is acknowledged.
                            if let Err(err) = stream.set_nodelay(true) {
                                eprintln!("{PROGRAM}: set_nodelay: {err}");
                            }
                            let mut client = Client {
                                stream,
                                input: Vec::new(),
                                output: b"welcome\n".to_vec(),
                            };
                            match client.flush() {
                                Ok(()) => {
                                    clients.insert(client.stream.as_raw_fd(), client);
                                }
                                Err(err) => eprintln!("{PROGRAM}: connection: {err}"),
                            }
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
            let mut lines = Vec::new();
            let open = if revents.intersects(PollFlags::POLLOUT) {
                client.flush().map(|()| true)
            } else {
                Ok(true)
            }
            .and_then(|_| {
                if revents.intersects(PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR) {
                    client.read_lines(&mut lines)
                } else {
                    Ok(true)
                }
            });
            broadcasts.extend(lines.into_iter().map(|line| (fd, line)));
            match open {
                Ok(true) => {}
                Ok(false) => gone.push(fd),
                Err(err) => {
                    eprintln!("{PROGRAM}: connection: {err}");
                    gone.push(fd);
                }
            }
        }
        for (sender, line) in broadcasts {
            for (&fd, client) in clients.iter_mut() {
                if fd == sender || gone.contains(&fd) {
                    continue;
                }
                if client.output.len() + line.len() > MAX_PENDING {
                    eprintln!("{PROGRAM}: a client does not read: disconnected");
                    gone.push(fd);
                    continue;
                }
                client.output.extend_from_slice(&line);
                if let Err(err) = client.flush() {
                    eprintln!("{PROGRAM}: connection: {err}");
                    gone.push(fd);
                }
            }
        }
        for fd in gone {
            if clients.remove(&fd).is_some() {
                pause.end();
            }
        }
    }
}
