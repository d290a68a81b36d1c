//! The broadcast server: every line to every client, long lines refused,
//! slow clients told what they missed, a graceful exit on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::thread;
use std::time::Duration;

use harness::{Normalizer, Server, check_output};

const BIN: &str = env!("CARGO_BIN_EXE_broadcast_server");

/// A client reading lines with the harness's deadlines.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn join(server: &Server) -> Client {
        let stream = server.connect();
        Client {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        }
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("a line in time");
        line
    }

    fn say(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
    }
}

#[test]
fn every_line_goes_to_every_client() {
    let server = Server::start(BIN, &[]);
    let mut ann = Client::join(&server);
    assert_eq!(ann.line(), "client 1 joined\n");
    let mut bob = Client::join(&server);
    assert_eq!(bob.line(), "client 2 joined\n");
    assert_eq!(ann.line(), "client 2 joined\n");
    ann.say("hello, 你好\n");
    assert_eq!(ann.line(), "client 1: hello, 你好\n");
    assert_eq!(bob.line(), "client 1: hello, 你好\n");
    drop(bob);
    assert_eq!(ann.line(), "client 2 left\n");
}

#[test]
fn a_line_longer_than_1024_bytes_is_refused_and_others_go_on() {
    let server = Server::start(BIN, &[]);
    let mut ann = Client::join(&server);
    assert_eq!(ann.line(), "client 1 joined\n");
    let mut long = Client::join(&server);
    assert_eq!(long.line(), "client 2 joined\n");
    long.say(&"x".repeat(2000));
    assert_eq!(long.line(), "error: line longer than 1024 bytes\n");
    assert_eq!(long.line(), "", "then the server closes");
    assert_eq!(ann.line(), "client 2 joined\n");
    ann.say("still here\n");
    assert_eq!(ann.line(), "client 1: still here\n");
}

#[test]
fn a_client_that_falls_behind_is_told_how_many_lines_it_missed() {
    const LINES: usize = 20_000;
    let server = Server::start(BIN, &[]);
    let mut slow = Client::join(&server);
    assert_eq!(slow.line(), "client 1 joined\n");
    let mut fast = Client::join(&server);
    assert_eq!(fast.line(), "client 2 joined\n");
    // The fast client reads everything back in a thread while it sends
    // 20,000 lines of 500 bytes: more than the kernel buffers between the
    // server and the slow client hold, and far more than the 64 lines the
    // channel keeps.
    let mut fast_reader = fast.reader;
    let drain = thread::spawn(move || {
        let mut sink = Vec::new();
        let mut line = Vec::new();
        while fast_reader.read_until(b'\n', &mut line).unwrap() > 0 {
            if line.ends_with(format!("client 2: {}\n", LINES - 1).as_bytes()) {
                break;
            }
            sink.push(line.len());
            line.clear();
        }
    });
    let filler = "y".repeat(480);
    for n in 0..LINES {
        let line = format!("{filler} {n}\n");
        fast.writer.write_all(line.as_bytes()).unwrap();
    }
    fast.writer
        .write_all(format!("{}\n", LINES - 1).as_bytes())
        .unwrap();
    drain.join().expect("the fast client got its own last line");
    // Now the slow client reads: somewhere it is told what it missed, and
    // it still gets the last line.
    let mut missed = 0;
    loop {
        let line = slow.line();
        assert!(!line.is_empty(), "the server closed the slow client");
        if let Some(count) = line
            .strip_prefix('(')
            .and_then(|l| l.strip_suffix(" lines missed)\n"))
        {
            missed += count.parse::<usize>().unwrap();
        }
        if line == format!("client 2: {}\n", LINES - 1) {
            break;
        }
    }
    assert!(missed > 0, "the slow client was never told it missed lines");
}

#[test]
fn sigterm_says_goodbye_to_every_client_and_exits_0() {
    let mut server = Server::start(BIN, &[]);
    let port = server.addr().port();
    let mut clients: Vec<Client> = (1..=2)
        .map(|n| {
            let mut client = Client::join(&server);
            assert_eq!(client.line(), format!("client {n} joined\n"));
            client
        })
        .collect();
    assert_eq!(clients[0].line(), "client 2 joined\n");
    server.signal(libc::SIGTERM);
    assert_eq!(
        server.next_line(harness::DEADLINE),
        "shutting down; clients connected: 2"
    );
    for client in &mut clients {
        assert_eq!(client.line(), "server shutting down\n");
        let mut rest = Vec::new();
        client.reader.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty(), "then the server closes: {rest:?}");
        client.writer.shutdown(Shutdown::Both).ok();
    }
    let out = server.wait(Duration::from_secs(10));
    assert_eq!(out.code(), Some(0), "stderr: {}", out.stderr_text());
    let shown = Normalizer::new()
        .port(port, "7878")
        .apply(&out.stdout_text());
    check_output!("../../output/broadcast_server.txt", &shown);
}

#[test]
fn ctrl_c_stops_it_the_same_way() {
    let mut server = Server::start(BIN, &[]);
    let mut client = Client::join(&server);
    assert_eq!(client.line(), "client 1 joined\n");
    server.signal(libc::SIGINT); // what Ctrl-C sends
    assert_eq!(
        server.next_line(harness::DEADLINE),
        "shutting down; clients connected: 1"
    );
    assert_eq!(client.line(), "server shutting down\n");
    let out = server.wait(Duration::from_secs(10));
    assert_eq!(out.code(), Some(0), "stderr: {}", out.stderr_text());
}
