//! Exercise 10.1: An idle timeout for echo_poll
//! Edit: exercises/ch10-multiplexing/src/bin/echo_idle.rs
//! Hint: keep a deadline per client (now + idle, renewed whenever `Connection::moved` changes in a pump); before each poll, close the clients past their deadline and pass the time until the nearest one, rounded up, as poll's timeout.

use std::io::Read;
use std::thread;
use std::time::{Duration, Instant};

use echo_suite::process;
use echo_suite::{PROMPT, Server, round_trip};
use harness::exercise_bin;

fn server(idle_ms: &str) -> Server {
    Server::start(exercise_bin!("echo_idle"), &[idle_ms])
}

#[test]
fn an_idle_client_is_told_and_closed_once_its_time_is_up() {
    let server = server("300");
    let client = server.connect();
    // The server's last activity, its echo, comes after this.
    let quiet_since = Instant::now();
    round_trip(&client, b"hello", PROMPT).unwrap();
    client.set_read_timeout(Some(PROMPT)).unwrap();
    let mut rest = String::new();
    (&client)
        .read_to_string(&mut rest)
        .expect("the server closes an idle connection");
    let waited = quiet_since.elapsed();
    assert_eq!(
        rest, "idle timeout\n",
        "what the server sends before closing"
    );
    assert!(
        waited >= Duration::from_millis(300),
        "closed after {waited:?}: before 300 ms of silence"
    );
}

#[test]
fn a_client_that_keeps_talking_stays_connected() {
    let server = server("500");
    let client = server.connect();
    // 0.75 s in all, never quiet for 500 ms: a clock that is not renewed
    // runs out half-way.
    for _ in 0..5 {
        round_trip(&client, b"still here", PROMPT)
            .unwrap_or_else(|why| panic!("an active client was cut off: {why}"));
        thread::sleep(Duration::from_millis(150));
    }
}

#[test]
fn serves_others_and_sleeps_while_idle_clients_wait_for_their_deadline() {
    let server = server("20000");
    let _idle: Vec<_> = (0..5).map(|_| server.connect()).collect();
    let active = server.connect();
    round_trip(&active, b"hello", PROMPT).unwrap();
    // Deadlines 20 s away: poll must sleep until then, not wake in a loop.
    process::assert_not_spinning(server.pid(), || {
        "echo_idle, with clients far from their deadline".to_owned()
    });
    round_trip(&active, b"again", PROMPT).unwrap();
}
