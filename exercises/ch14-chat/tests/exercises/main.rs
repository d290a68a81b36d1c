//! The tests of chapter 14's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 14.N` runs
//! one module against your code.

mod ex14_1;
mod ex14_2;
mod ex14_3;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// How long a test waits for a line that should come: long enough for a
/// loaded machine, short enough that an unfinished starter fails quickly.
pub const PROMPT: Duration = Duration::from_secs(10);

/// One test client of the chat room.
pub struct Chatter {
    pub stream: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Chatter {
    #[track_caller]
    pub fn connect(addr: SocketAddr) -> Chatter {
        let stream = harness::connect(addr).unwrap_or_else(|err| panic!("connect {addr}: {err}"));
        stream.set_read_timeout(Some(PROMPT)).unwrap();
        let reader = BufReader::new(stream.try_clone().unwrap());
        Chatter { stream, reader }
    }

    #[track_caller]
    pub fn join(addr: SocketAddr, name: &str) -> Chatter {
        let mut chatter = Chatter::connect(addr);
        chatter.send(name);
        chatter.expect(&format!("* welcome {name}"));
        chatter
    }

    #[track_caller]
    pub fn send(&mut self, line: &str) {
        self.stream
            .write_all(format!("{line}\n").as_bytes())
            .unwrap_or_else(|err| panic!("sending {line:?}: {err}"));
    }

    #[track_caller]
    pub fn expect(&mut self, want: &str) {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) => panic!("expected {want:?}; the server closed the connection"),
            Ok(_) => assert_eq!(line.trim_end_matches('\n'), want),
            Err(err) => panic!("expected {want:?}; no line came ({err})"),
        }
    }
}
