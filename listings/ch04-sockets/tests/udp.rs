//! Listings about UDP: the echo server and client, and truncation.

use std::net::UdpSocket;
use std::process::Command;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use harness::{DEADLINE, Normalizer, Server, check_output, run};

const UDP_SERVER: &str = env!("CARGO_BIN_EXE_udp_server");
const UDP_CLIENT: &str = env!("CARGO_BIN_EXE_udp_client");

fn socket() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(DEADLINE)).unwrap();
    socket
}

#[test]
fn udp_client_prints_the_datagram_the_server_sends_back() {
    let mut server = Server::start(UDP_SERVER, &[]);
    let addr = server.addr();
    let out = run(Command::new(UDP_CLIENT).args([&addr.to_string(), "hello, UDP"]));
    out.assert_success();
    check_output!("../output/udp_client.txt", &out.stdout_text());
    assert!(
        server
            .next_line(DEADLINE)
            .starts_with("10 bytes from 127.0.0.1:")
    );
    let log = server.stop();
    let shown = Normalizer::new()
        .port(addr.port(), "7879")
        .replace(r"from 127\.0\.0\.1:\d+", "from 127.0.0.1:54321")
        .apply(&log.stdout_text());
    check_output!("../output/udp_server.txt", &shown);
}

#[test]
fn udp_server_answers_each_sender_at_its_own_address() {
    let server = Server::start(UDP_SERVER, &[]);
    let (alice, bob) = (socket(), socket());
    alice.send_to(b"from alice", server.addr()).unwrap();
    bob.send_to(b"from bob", server.addr()).unwrap();
    let mut buf = [0u8; 64];
    let (n, from) = bob.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"from bob"[..], server.addr()));
    let (n, from) = alice.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"from alice"[..], server.addr()));
}

#[test]
fn an_empty_datagram_is_a_message_not_end_of_stream() {
    let mut server = Server::start(UDP_SERVER, &[]);
    let client = socket();
    client.send_to(b"", server.addr()).unwrap();
    let mut buf = [0u8; 64];
    let (n, from) = client.recv_from(&mut buf).unwrap();
    assert_eq!((n, from), (0, server.addr()));
    assert!(server.next_line(DEADLINE).starts_with("0 bytes from "));
    // The server is still there.
    client.send_to(b"after", server.addr()).unwrap();
    let (n, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"after");
}

#[test]
fn a_datagram_of_sixty_thousand_bytes_comes_back_whole() {
    let server = Server::start(UDP_SERVER, &[]);
    let client = socket();
    let datagram: Vec<u8> = (0..60_000u32).map(|i| (i % 253) as u8).collect();
    client.send_to(&datagram, server.addr()).unwrap();
    let mut buf = vec![0u8; 65535];
    let (n, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], &datagram[..]);
}

/// The client's `--wait` in the tests: short, so that no test waits out the
/// default 2 s, and still long enough to tell giving up from not waiting.
const WAIT: Duration = Duration::from_millis(250);
const WAIT_ARG: &str = "0.25";

/// The client gave up at its deadline: not before it, and not long after
/// (the bound leaves room for a loaded machine, and is below the default).
#[track_caller]
fn assert_gave_up_on_time(took: Duration) {
    assert!(took >= WAIT, "gave up after {took:?}, before its {WAIT:?}");
    assert!(
        took < WAIT + Duration::from_millis(1500),
        "gave up only after {took:?}"
    );
}

#[test]
fn udp_client_gives_up_when_no_reply_comes() {
    // A bound socket that never answers: the datagram is queued, unread.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap().to_string();
    let start = Instant::now();
    let out = run(Command::new(UDP_CLIENT).args(["--wait", WAIT_ARG, &addr, "anyone?"]));
    assert_gave_up_on_time(start.elapsed());
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        format!("udp_client: {addr}: no reply within 0.25 s\n")
    );
    let mut buf = [0u8; 16];
    silent
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let (n, _) = silent.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"anyone?");
}

#[test]
fn udp_client_gives_up_on_time_while_strangers_keep_sending() {
    // The "server" never answers, and a stranger sends to the client's port
    // every 25 ms: each datagram comes well within the client's wait, so a
    // read timeout that started again with each one would never expire.
    let silent = socket();
    let server = silent.local_addr().unwrap().to_string();
    let (exited, exit) = mpsc::channel();
    let client = {
        let server = server.clone();
        thread::spawn(move || {
            let start = Instant::now();
            let out = run(Command::new(UDP_CLIENT).args(["--wait", WAIT_ARG, &server, "anyone?"]));
            let took = start.elapsed();
            let _ = exited.send(());
            (out, took)
        })
    };
    let mut buf = [0u8; 16];
    let (_, client_addr) = silent.recv_from(&mut buf).unwrap();
    let stranger = socket();
    let start = Instant::now();
    let mut strays = 0;
    // Pace the stranger by waiting for the client's exit, 25 ms at a time.
    while let Err(RecvTimeoutError::Timeout) = exit.recv_timeout(Duration::from_millis(25)) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "udp_client still waits after {strays} stray datagrams"
        );
        stranger.send_to(b"not the server", client_addr).unwrap();
        strays += 1;
    }
    let (out, took) = client.join().unwrap();
    assert!(strays > 2, "the strangers sent while the client waited");
    assert_gave_up_on_time(took);
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        format!("udp_client: {server}: no reply within 0.25 s\n")
    );
}

#[test]
fn udp_client_rejects_a_wait_that_is_not_a_positive_number() {
    for wait in ["0", "-1", "soon"] {
        let out = run(Command::new(UDP_CLIENT).args(["--wait", wait, "127.0.0.1:9", "x"]));
        assert_eq!(out.code(), Some(2));
        assert_eq!(
            out.stderr_text(),
            format!("udp_client: {wait}: not a positive number of seconds\n")
        );
    }
}

#[test]
fn a_datagram_larger_than_the_buffer_is_cut_and_msg_trunc_reports_it() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_udp_truncated")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.contains(": \"0123456789012345\"\n"));
    assert!(text.contains("recv(MSG_TRUNC) returned 100"));
    assert!(text.contains("recvmsg: 16 bytes, MSG_TRUNC in msg_flags: true"));
    assert!(text.contains("peeked length 100, then recv_from read all 100 bytes"));
    assert!(text.ends_with("next recv_from: \"next\"\n"));
    let shown = Normalizer::new()
        .replace(r"from 127\.0\.0\.1:\d+", "from 127.0.0.1:54321")
        .apply(&text);
    check_output!("../output/udp_truncated.txt", &shown);
}

#[test]
fn python_sees_a_cut_datagram_only_through_recvmsg() {
    // recvfrom returns the first 16 bytes and says nothing; recvmsg also
    // returns the flags, with MSG_TRUNC set.
    let script = "import socket
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
a.bind(('127.0.0.1', 0))
a.settimeout(10)
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b.sendto(b'x' * 100, a.getsockname())
b.sendto(b'y' * 100, a.getsockname())
data, addr = a.recvfrom(16)
print('recvfrom', len(data))
data, ancdata, flags, addr = a.recvmsg(16)
print('recvmsg', len(data), bool(flags & socket.MSG_TRUNC))";
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(out.stdout_text(), "recvfrom 16\nrecvmsg 16 True\n");
}
