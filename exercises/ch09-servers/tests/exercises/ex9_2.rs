//! Exercise 9.2: A graceful shutdown for echo_pool
//! Edit: exercises/ch09-servers/src/bin/echo_graceful.rs
//! Hint: a thread waits for SIGTERM (`signal_hook::iterator::Signals`), sets a flag and wakes the acceptor by calling `libc::shutdown(fd, SHUT_RD)` on the listening socket; the acceptor then drops the listener and the channel's sender, and `main` joins the workers.

use std::io::ErrorKind;
use std::net::TcpStream;
use std::time::Duration;

use echo_suite::{PROMPT, Server, round_trip};
use harness::{DEADLINE, exercise_bin};

fn server(args: &[&str]) -> Server {
    Server::start(exercise_bin!("echo_graceful"), args)
}

#[test]
fn exits_with_status_0_on_sigterm_when_idle() {
    let mut server = server(&[]);
    let client = server.connect();
    round_trip(&client, b"hi", PROMPT).unwrap();
    drop(client);
    server.signal(libc::SIGTERM);
    assert_eq!(server.next_line(DEADLINE), "shutting down");
    let out = server.wait(DEADLINE);
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn refuses_new_clients_but_finishes_the_ones_it_serves() {
    let mut server = server(&["2", "4"]);
    let addr = server.addr();
    let client = server.connect();
    round_trip(&client, b"before", PROMPT).unwrap();
    server.signal(libc::SIGTERM);
    assert_eq!(server.next_line(DEADLINE), "shutting down");
    // The listening socket is closed: connect is refused.
    let err = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
    // The client being served is served to the end.
    for _ in 0..3 {
        round_trip(&client, b"during", PROMPT).unwrap();
    }
    drop(client);
    let out = server.wait(DEADLINE);
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn serves_the_queued_clients_before_it_exits() {
    // One worker, held by `first`; `second` waits in the queue.
    let mut server = server(&["1", "4"]);
    let listening = echo_suite::process::open_fds(server.pid());
    let first = server.connect();
    round_trip(&first, b"1", PROMPT).unwrap();
    let second = server.connect();
    std::io::Write::write_all(&mut &second, b"2").unwrap();
    // Wait until the acceptor has taken `second` into the queue: one
    // descriptor more for each client.
    let accepted = echo_suite::wait_until(PROMPT, || {
        echo_suite::process::open_fds(server.pid()) == listening + 2
    });
    assert!(accepted, "the server did not accept the second client");
    server.signal(libc::SIGTERM);
    assert_eq!(server.next_line(DEADLINE), "shutting down");
    drop(first);
    let mut echo = [0u8];
    second.set_read_timeout(Some(PROMPT)).unwrap();
    std::io::Read::read_exact(&mut &second, &mut echo).unwrap();
    assert_eq!(&echo, b"2", "the queued client was served");
    drop(second);
    let out = server.wait(DEADLINE);
    assert_eq!(out.code(), Some(0), "{out}");
}
