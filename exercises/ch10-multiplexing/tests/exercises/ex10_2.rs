//! Exercise 10.2: A line broadcaster with poll
//! Edit: exercises/ch10-multiplexing/src/bin/broadcast_poll.rs
//! Hint: per client keep the incomplete line read so far and the bytes waiting to be sent; after each poll, read every readable client until WouldBlock, cut complete lines at `\n`, append each to the others' output (dropping a client whose output would pass 64 KiB), and ask for POLLOUT only while output is waiting.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;

use echo_suite::{PROMPT, Server};
use harness::exercise_bin;

/// A connected client that has read its welcome: the server counts it in.
struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    fn join(server: &Server) -> Client {
        let stream = server.connect();
        stream.set_read_timeout(Some(PROMPT)).unwrap();
        let mut client = Client {
            reader: BufReader::new(stream),
        };
        assert_eq!(client.line(), "welcome\n", "the first line a client gets");
        client
    }

    fn send(&self, bytes: &[u8]) {
        self.reader.get_ref().write_all(bytes).unwrap();
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.reader
            .read_line(&mut line)
            .unwrap_or_else(|err| panic!("waiting for a line: {err}"));
        line
    }
}

fn server() -> Server {
    Server::start(exercise_bin!("broadcast_poll"), &[])
}

#[test]
fn a_line_reaches_every_other_client_but_not_its_sender() {
    let server = server();
    let mut a = Client::join(&server);
    let mut b = Client::join(&server);
    let mut c = Client::join(&server);
    a.send(b"hello\n");
    assert_eq!(b.line(), "hello\n");
    assert_eq!(c.line(), "hello\n");
    b.send("from b, 你好\n".as_bytes());
    // a's first line is b's: it did not get its own "hello" back.
    assert_eq!(a.line(), "from b, 你好\n");
    assert_eq!(c.line(), "from b, 你好\n");
}

#[test]
fn a_partial_line_waits_for_its_newline() {
    let server = server();
    let mut a = Client::join(&server);
    let mut b = Client::join(&server);
    let mut c = Client::join(&server);
    a.send(b"par");
    b.send(b"one\n");
    assert_eq!(a.line(), "one\n");
    assert_eq!(c.line(), "one\n", "a's partial line must not come first");
    a.send(b"tial\n");
    assert_eq!(b.line(), "partial\n");
    assert_eq!(c.line(), "partial\n");
}

#[test]
fn a_line_longer_than_1024_bytes_is_refused_and_its_sender_dropped() {
    let server = server();
    let mut a = Client::join(&server);
    let mut b = Client::join(&server);
    a.send(&[b'x'; 1100]);
    assert_eq!(a.line(), "error: line longer than 1024 bytes\n");
    assert_eq!(a.line(), "", "the connection is closed after the error");
    // The others go on.
    let c = Client::join(&server);
    c.send(b"ok\n");
    assert_eq!(b.line(), "ok\n");
}

#[test]
fn a_client_that_never_reads_is_dropped_and_the_others_go_on() {
    const LINES: usize = 8 * 1024;
    const BATCH: usize = 32;
    let server = server();
    let a = Client::join(&server);
    let mut b = Client::join(&server);
    let silent = Client::join(&server);
    // a sends 8 MiB of 1 KiB lines, 32 KiB at a time; b reads each batch
    // before a sends the next, so b is never far behind; silent reads none
    // (the kernel's buffers hold about 4 MiB of what it is sent).
    let mut line = vec![b'-'; 1023];
    line.push(b'\n');
    let batch = line.repeat(BATCH);
    for sent in (0..LINES).step_by(BATCH) {
        a.send(&batch);
        for n in sent..sent + BATCH {
            let received = b.line();
            assert_eq!(received.len(), 1024, "line {n} that b received");
        }
    }
    // The server has given up on silent: what reached its buffers, then
    // the end of the stream (or a reset), and far less than 8 MiB.
    let mut stream = silent.reader.into_inner();
    let mut total = 0usize;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => total += n,
            Err(err) if err.kind() == ErrorKind::ConnectionReset => break,
            Err(err) => panic!("the silent client was not disconnected: {err}"),
        }
    }
    assert!(
        total < LINES * 1024,
        "the silent client received all {total} bytes: it was never dropped"
    );
}
