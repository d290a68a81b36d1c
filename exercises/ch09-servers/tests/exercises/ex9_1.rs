//! Exercise 9.1: A connection limit for echo_threads
//! Edit: exercises/ch09-servers/src/bin/echo_limit.rs
//! Hint: count the clients being served in an `Arc<AtomicUsize>`; take a slot before spawning (`fetch_update` refuses past MAX) and give it back in a `Drop` guard that the thread owns, so that every way a thread ends frees it.

use std::io::Read;
use std::net::TcpStream;
use std::time::Duration;

use echo_suite::{PROMPT, Server, round_trip, wait_until};
use harness::exercise_bin;

fn server(max: &str) -> Server {
    Server::start(exercise_bin!("echo_limit"), &[max])
}

/// Everything the server sends before it closes the connection.
fn refusal(stream: &TcpStream) -> String {
    stream.set_read_timeout(Some(PROMPT)).unwrap();
    let mut text = String::new();
    (&*stream).read_to_string(&mut text).unwrap();
    text
}

#[test]
fn serves_up_to_max_clients_at_once() {
    let server = server("3");
    let clients: Vec<_> = (0..3).map(|_| server.connect()).collect();
    for client in &clients {
        round_trip(client, b"hello", PROMPT).unwrap();
    }
    // All three at once, interleaved.
    for client in clients.iter().rev() {
        round_trip(client, b"again", PROMPT).unwrap();
    }
}

#[test]
fn refuses_one_client_too_many_with_one_line() {
    let server = server("2");
    let clients: Vec<_> = (0..2).map(|_| server.connect()).collect();
    for client in &clients {
        round_trip(client, b"in", PROMPT).unwrap();
    }
    let third = server.connect();
    assert_eq!(
        refusal(&third),
        "busy: 2 clients connected, try again later\n"
    );
    // The two are still served.
    for client in &clients {
        round_trip(client, b"still in", PROMPT).unwrap();
    }
}

#[test]
fn makes_room_when_a_client_leaves() {
    let server = server("1");
    let first = server.connect();
    round_trip(&first, b"one", PROMPT).unwrap();
    assert!(refusal(&server.connect()).starts_with("busy: 1 clients"));
    drop(first);
    // The server notices the departure when the first client's thread
    // ends; until then a newcomer may still be refused.
    let served = wait_until(PROMPT, || {
        let next = server.connect();
        round_trip(&next, b"two", Duration::from_secs(2)).is_ok()
    });
    assert!(served, "no room for a new client after the first left");
}

#[test]
fn counts_clients_who_leave_in_every_way() {
    let server = server("2");
    for round in 0..20 {
        // Served as soon as the last reset has been counted out.
        let reset = wait_until(PROMPT, || {
            let rude = server.connect();
            if round_trip(&rude, b"x", Duration::from_secs(2)).is_err() {
                return false;
            }
            // SO_LINGER 0: close(2) sends RST, and the echo ends in an error.
            socket2::SockRef::from(&rude)
                .set_linger(Some(Duration::ZERO))
                .unwrap();
            true
        });
        assert!(reset, "round {round}: no room for a client");
    }
    // Every slot came back: two clients fit again.
    let fit = wait_until(PROMPT, || {
        let a = server.connect();
        let b = server.connect();
        round_trip(&a, b"a", Duration::from_secs(2)).is_ok()
            && round_trip(&b, b"b", Duration::from_secs(2)).is_ok()
    });
    assert!(fit, "slots leaked: two clients no longer fit");
}
