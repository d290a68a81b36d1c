//! Starting server listings on a free loopback port, and talking to them.

use std::io::{self, BufRead, BufReader};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::DEADLINE;
use crate::process::{ChildGuard, Output, describe};

/// A server listing running for one test. Dropping it kills and reaps the
/// server (and anything it forked).
pub struct Server {
    guard: ChildGuard,
    addr: SocketAddr,
    lines: Receiver<String>,
    stdout_seen: Vec<String>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// Says when standard error reached end of file.
    stderr_done: Receiver<()>,
}

impl Server {
    /// Starts the listing binary `bin` with `127.0.0.1:0` as its first
    /// argument, then `args`, and waits (at most [`DEADLINE`]) for its
    /// `listening on <addr>` line.
    #[track_caller]
    pub fn start(bin: &str, args: &[&str]) -> Server {
        Self::start_command(Command::new(bin).arg("127.0.0.1:0").args(args))
    }

    /// Like [`Server::start`] for a command built by the caller, which must
    /// pass the address itself.
    #[track_caller]
    pub fn start_command(cmd: &mut Command) -> Server {
        let program = describe(cmd);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut guard = ChildGuard::spawn(cmd).unwrap_or_else(|err| panic!("{err}"));
        let child = guard.child_mut();
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr_pipe = child.stderr.take().expect("stderr is piped");

        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stderr);
        let (eof, stderr_done) = mpsc::channel();
        thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = io::Read::read(&mut stderr_pipe, &mut chunk) {
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
            let _ = eof.send(());
        });

        let mut server = Server {
            guard,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            lines,
            stdout_seen: Vec::new(),
            stderr,
            stderr_done,
        };
        let deadline = Instant::now() + DEADLINE;
        loop {
            let line = server.next_line_until(deadline).unwrap_or_else(|why| {
                panic!(
                    "`{program}` never printed `listening on <addr>`: {why}\nstdout:\n{}\nstderr:\n{}",
                    server.stdout_seen.join("\n"),
                    server.stderr_text()
                )
            });
            if let Some(addr) = line.strip_prefix("listening on ") {
                server.addr = addr.trim().parse().unwrap_or_else(|err| {
                    panic!("`{program}` printed `{line}`: not a socket address ({err})")
                });
                return server;
            }
        }
    }

    /// The address the server is listening on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server's process ID.
    pub fn pid(&self) -> u32 {
        self.guard.id()
    }

    /// Waits at most `timeout` for the server's next line of standard output.
    #[track_caller]
    pub fn next_line(&mut self, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        self.next_line_until(deadline).unwrap_or_else(|why| {
            panic!(
                "no line from `{}`: {why}\nstderr:\n{}",
                self.guard.program(),
                self.stderr_text()
            )
        })
    }

    fn next_line_until(&mut self, deadline: Instant) -> Result<String, String> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.lines.recv_timeout(left) {
            Ok(line) => {
                self.stdout_seen.push(line.clone());
                Ok(line)
            }
            Err(RecvTimeoutError::Timeout) => Err("timed out".into()),
            Err(RecvTimeoutError::Disconnected) => {
                // Standard output closed: the server has most likely exited.
                // Let its last words on stderr arrive before we report.
                let status = self.guard.wait_timeout(Duration::from_secs(5));
                let _ = self.stderr_done.recv_timeout(Duration::from_secs(5));
                match status {
                    Ok(Some(status)) => Err(format!("it exited ({status})")),
                    _ => Err("it closed its standard output".into()),
                }
            }
        }
    }

    /// Everything the server wrote to standard error so far.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Sends `signal` to the server's process group.
    pub fn signal(&self, signal: i32) {
        self.guard.signal_group(signal);
    }

    /// Waits at most `timeout` for the server to exit by itself (after a
    /// signal, say) and returns what it printed. Panics if it does not.
    #[track_caller]
    pub fn wait(mut self, timeout: Duration) -> Output {
        let status = self
            .guard
            .wait_timeout(timeout)
            .expect("waiting for the server")
            .unwrap_or_else(|| {
                panic!("`{}` still running after {timeout:?}", self.guard.program())
            });
        self.collect(status)
    }

    /// Kills the server and returns what it printed.
    pub fn stop(mut self) -> Output {
        let status = self.guard.kill().expect("killing the server");
        self.collect(status)
    }

    fn collect(&mut self, status: std::process::ExitStatus) -> Output {
        let mut stdout = self.stdout_seen.join("\n");
        if !stdout.is_empty() {
            stdout.push('\n');
        }
        // The process is gone, so its stdout reaches EOF soon; read what is
        // left, bounded by a deadline in case a grandchild holds the pipe.
        let deadline = Instant::now() + Duration::from_secs(5);
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            stdout.push_str(&line);
            stdout.push('\n');
        }
        let _ = self
            .stderr_done
            .recv_timeout(deadline.saturating_duration_since(Instant::now()));
        Output {
            status,
            stdout: stdout.into_bytes(),
            stderr: self.stderr.lock().unwrap().clone(),
        }
    }

    /// A connection to the server with read and write time-outs.
    #[track_caller]
    pub fn connect(&self) -> TcpStream {
        connect(self.addr).unwrap_or_else(|err| panic!("connecting to {}: {err}", self.addr))
    }
}

/// Connects to `addr` with a connect, read and write deadline of
/// [`DEADLINE`], so that a test talking to a stuck server fails instead of
/// hanging.
pub fn connect(addr: impl ToSocketAddrs) -> io::Result<TcpStream> {
    let mut last = io::Error::new(io::ErrorKind::InvalidInput, "no address");
    for addr in addr.to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, DEADLINE) {
            Ok(stream) => {
                stream.set_read_timeout(Some(DEADLINE))?;
                stream.set_write_timeout(Some(DEADLINE))?;
                return Ok(stream);
            }
            Err(err) => last = err,
        }
    }
    Err(last)
}
