//! Chapter 14's tests: the protocol, run against both servers (room.rs);
//! the clients, Rust and Python, through pipes (client.rs, python.rs);
//! the benchmark's quick mode (bench.rs).

mod bench;
mod client;
mod python;
mod room;

use std::fs;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};

pub const CHAT_THREADS: &str = env!("CARGO_BIN_EXE_chat_threads");
pub const CHAT_SERVER: &str = env!("CARGO_BIN_EXE_chat_server");

/// One test client: a connection and a line reader on it.
pub struct Chatter {
    pub stream: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Chatter {
    /// Connects, with the harness's read and write deadlines.
    #[track_caller]
    pub fn connect(addr: SocketAddr) -> Chatter {
        let stream = harness::connect(addr).unwrap_or_else(|err| panic!("connect {addr}: {err}"));
        Chatter::from_stream(stream)
    }

    pub fn from_stream(stream: TcpStream) -> Chatter {
        let reader = BufReader::new(stream.try_clone().unwrap());
        Chatter { stream, reader }
    }

    /// Connects and joins as `name`, expecting the welcome.
    #[track_caller]
    pub fn join(addr: SocketAddr, name: &str) -> Chatter {
        let mut chatter = Chatter::connect(addr);
        chatter.send(name);
        chatter.expect(&format!("* welcome {name}"));
        chatter
    }

    /// Sends `line` and its newline.
    #[track_caller]
    pub fn send(&mut self, line: &str) {
        self.send_bytes(format!("{line}\n").as_bytes());
    }

    #[track_caller]
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.stream
            .write_all(bytes)
            .unwrap_or_else(|err| panic!("sending: {err}"));
    }

    /// The next line from the server, without its newline; panics at end of
    /// stream or after the read deadline.
    #[track_caller]
    pub fn line(&mut self) -> String {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) => panic!("the server closed the connection"),
            Ok(_) => {
                assert!(line.ends_with('\n'), "unfinished line {line:?}");
                line.pop();
                line
            }
            Err(err) => panic!("reading a line: {err}"),
        }
    }

    #[track_caller]
    pub fn expect(&mut self, want: &str) {
        let line = self.line();
        assert_eq!(line, want, "expected {want:?}, got {line:?}");
    }

    /// Reads until end of stream (or a reset), which must come before the
    /// read deadline; returns what arrived first.
    #[track_caller]
    pub fn expect_closed(&mut self) -> Vec<u8> {
        let mut rest = Vec::new();
        match self.reader.read_to_end(&mut rest) {
            Ok(_) => rest,
            Err(err) if err.kind() == ErrorKind::ConnectionReset => rest,
            Err(err) => panic!("expected the server to close the connection: {err}"),
        }
    }
}

/// Waits for a state that no event announces, such as a count in `/proc`.
pub use harness::wait_until;

/// How many descriptors process `pid` has open.
pub fn open_fds(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|dir| dir.count())
        .unwrap_or(0)
}

/// How many threads process `pid` runs.
pub fn thread_count(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/task"))
        .map(|dir| dir.count())
        .unwrap_or(0)
}
