//! Listing 9-8: a fixed pool of workers behind a bounded queue.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;

use echo_suite::process;
use echo_suite::{PROMPT, Server, round_trip, wait_until};

use crate::NOT_WITHIN;

const ECHO_POOL: &str = env!("CARGO_BIN_EXE_echo_pool");

/// Waits for the echo of what `client` sent earlier.
#[track_caller]
fn served(client: &TcpStream, sent: &[u8]) {
    client.set_read_timeout(Some(PROMPT)).unwrap();
    let mut echo = vec![0u8; sent.len()];
    (&*client).read_exact(&mut echo).unwrap();
    assert_eq!(echo, sent);
}

/// Checks that nothing comes back to `client` for a while.
#[track_caller]
fn not_served(client: &TcpStream) {
    client.set_read_timeout(Some(NOT_WITHIN)).unwrap();
    let read = (&*client).read(&mut [0u8]);
    assert!(
        matches!(&read, Err(err) if err.kind() == ErrorKind::WouldBlock),
        "expected no echo within {NOT_WITHIN:?}, got {read:?}"
    );
}

#[test]
fn echo_pool_has_a_fixed_number_of_threads_whatever_the_clients() {
    let server = Server::start(ECHO_POOL, &["4", "8"]);
    let pid = server.pid();
    assert_eq!(process::threads(pid), 5, "the acceptor and 4 workers");
    let clients: Vec<_> = (0..4).map(|_| server.connect()).collect();
    for client in &clients {
        round_trip(client, b"hello", PROMPT).unwrap();
    }
    assert_eq!(process::threads(pid), 5);
}

#[test]
fn echo_pool_queues_then_stops_accepting_when_the_queue_is_full() {
    // Two workers, a queue of one.
    let server = Server::start(ECHO_POOL, &["2", "1"]);
    let pid = server.pid();
    let listening = process::open_fds(pid);
    let mut clients: Vec<TcpStream> = Vec::new();
    for name in [b'a', b'b', b'c', b'd', b'e'] {
        let client = server.connect();
        (&client).write_all(&[name]).unwrap();
        clients.push(client);
    }
    served(&clients[0], b"a");
    served(&clients[1], b"b");
    // c waits in the queue; the acceptor holds d, blocked on the full
    // queue; e is left in the kernel's listen queue, not accepted at all.
    assert!(
        wait_until(PROMPT, || process::open_fds(pid) == listening + 4),
        "a, b, c and d accepted: {} descriptors, {listening} before",
        process::open_fds(pid)
    );
    not_served(&clients[2]);
    not_served(&clients[3]);
    assert_eq!(process::open_fds(pid), listening + 4, "e is not accepted");
    // When a leaves, its worker takes c, the queue takes d, and the
    // acceptor accepts e. First come, first served.
    clients.remove(0);
    served(&clients[1], b"c");
    not_served(&clients[2]);
    clients.remove(0);
    served(&clients[1], b"d");
    clients.remove(0);
    served(&clients[1], b"e");
}

#[test]
fn echo_pool_with_every_worker_held_by_an_idle_client_serves_nobody_else() {
    let server = Server::start(ECHO_POOL, &["2", "4"]);
    let idle: Vec<_> = (0..2).map(|_| server.connect()).collect();
    for client in &idle {
        round_trip(client, b"hi", PROMPT).unwrap();
    }
    let third = server.connect();
    (&third).write_all(b"me").unwrap();
    not_served(&third);
    drop(idle);
    served(&third, b"me");
}

#[test]
fn echo_pool_refuses_bad_arguments() {
    let out = harness::run(std::process::Command::new(ECHO_POOL).args(["127.0.0.1:0", "0"]));
    assert_eq!(out.code(), Some(2), "{out}");
    assert_eq!(
        out.stderr_text(),
        "usage: echo_pool [addr [workers [queue]]]  (positive numbers)\n"
    );
}
