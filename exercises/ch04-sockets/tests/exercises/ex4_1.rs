//! Exercise 4.1: A UDP client that retries
//! Edit: exercises/ch04-sockets/src/bin/udp_retry.rs
//! Hint: `UdpSocket::connect` filters out strangers; `set_read_timeout` bounds each wait, and a timed-out `recv` fails with `ErrorKind::WouldBlock` on Linux. Send again after each timeout, doubling the wait.

use std::net::{SocketAddr, UdpSocket};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use harness::{DEADLINE, exercise_bin, run};

/// A UDP server on a free loopback port that answers the `answer_on`-th
/// datagram (1-based; 0: never) with the message in capitals, and records
/// when each datagram arrived. It stops after `expect` datagrams or the
/// deadline.
/// When each datagram arrived, and what it said.
type Arrivals = Vec<(Instant, Vec<u8>)>;

fn server(answer_on: usize, expect: usize) -> (SocketAddr, thread::JoinHandle<Arrivals>) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    let handle = thread::spawn(move || {
        let deadline = Instant::now() + DEADLINE;
        let mut seen = Vec::new();
        let mut buf = [0; 2048];
        while seen.len() < expect {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            socket.set_read_timeout(Some(left)).unwrap();
            let Ok((n, peer)) = socket.recv_from(&mut buf) else {
                break;
            };
            seen.push((Instant::now(), buf[..n].to_vec()));
            if seen.len() == answer_on {
                socket
                    .send_to(&buf[..n].to_ascii_uppercase(), peer)
                    .unwrap();
            }
        }
        seen
    });
    (addr, handle)
}

fn udp_retry(addr: SocketAddr, message: &str) -> harness::Output {
    run(Command::new(exercise_bin!("udp_retry"))
        .arg(addr.to_string())
        .arg(message))
}

#[test]
fn prints_the_reply_to_the_first_try() {
    let (addr, server) = server(1, 1);
    let out = udp_retry(addr, "hello");
    assert_eq!(out.stdout_text(), "HELLO\n", "{out}");
    assert_eq!(out.code(), Some(0), "{out}");
    assert_eq!(server.join().unwrap().len(), 1, "one datagram was enough");
}

#[test]
fn sends_again_until_a_reply_comes() {
    let (addr, server) = server(3, 3);
    let out = udp_retry(addr, "are you there");
    assert_eq!(out.stdout_text(), "ARE YOU THERE\n", "{out}");
    assert_eq!(out.code(), Some(0), "{out}");
    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 3, "the server answered the third datagram");
    for (_, payload) in &seen {
        assert_eq!(
            payload, b"are you there",
            "every try sends the same message"
        );
    }
}

#[test]
fn gives_up_after_four_tries_with_a_message() {
    // Expect five: a fifth datagram would be one try too many.
    let (addr, server) = server(0, 5);
    let out = udp_retry(addr, "anyone");
    assert_eq!(out.code(), Some(1), "{out}");
    assert_eq!(out.stdout_text(), "", "{out}");
    assert_eq!(
        out.stderr_text(),
        format!("udp_retry: no reply from {addr} after 4 tries\n"),
        "{out}"
    );
    // The client has exited, so no more datagrams are coming: wake the
    // server with one of our own instead of waiting for its deadline.
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .send_to(b"done", addr)
        .unwrap();
    let seen = server.join().unwrap();
    let tries = seen
        .iter()
        .filter(|(_, payload)| payload == b"anyone")
        .count();
    assert_eq!(tries, 4, "exactly four sends");
}

#[test]
fn waits_twice_as_long_before_each_retry() {
    let (addr, server) = server(0, 5);
    let out = udp_retry(addr, "slowly");
    assert_eq!(out.code(), Some(1), "{out}");
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .send_to(b"done", addr)
        .unwrap();
    let seen = server.join().unwrap();
    let times: Vec<Instant> = seen
        .iter()
        .filter(|(_, payload)| payload == b"slowly")
        .map(|(at, _)| *at)
        .collect();
    assert_eq!(times.len(), 4, "{out}");
    // Lower bounds only: a loaded machine makes gaps longer, never shorter.
    // A little slack for the scheduler on either end of each gap.
    for (i, expected_ms) in [100u64, 200, 400].into_iter().enumerate() {
        let gap = times[i + 1] - times[i];
        assert!(
            gap >= Duration::from_millis(expected_ms - 10),
            "retry {} came after {gap:?}; it should wait about {expected_ms} ms",
            i + 1
        );
    }
}

#[test]
fn ignores_a_stranger_and_prints_the_servers_reply() {
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = server.local_addr().unwrap();
    let stranger = UdpSocket::bind("127.0.0.1:0").unwrap();
    let answer = thread::spawn(move || {
        server.set_read_timeout(Some(DEADLINE)).unwrap();
        let mut buf = [0; 2048];
        let (n, client) = server.recv_from(&mut buf).unwrap();
        if &buf[..n] == b"done" {
            return; // the client exited without sending anything
        }
        // The stranger answers first, to the client's address.
        stranger.send_to(b"SPOOFED", client).unwrap();
        server
            .send_to(&buf[..n].to_ascii_uppercase(), client)
            .unwrap();
    });
    let out = udp_retry(addr, "who is it");
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .send_to(b"done", addr)
        .unwrap();
    answer.join().unwrap();
    assert_eq!(out.stdout_text(), "WHO IS IT\n", "{out}");
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn refuses_bad_arguments_with_usage_and_status_2() {
    let out = run(Command::new(exercise_bin!("udp_retry")).arg("only-one"));
    assert_eq!(out.code(), Some(2), "{out}");
    assert!(out.stderr_text().contains("usage"), "{out}");
}
