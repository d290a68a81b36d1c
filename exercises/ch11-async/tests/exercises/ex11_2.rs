//! Exercise 11.2: An idle timeout for echo_tokio
//! Edit: exercises/ch11-async/src/bin/echo_idle.rs
//! Hint: start from Listing 11-22 (`echo_tokio`); in `echo`, wrap each `stream.read(&mut buf)` in `tokio::time::timeout(idle, …)`: `Err(_)` means the client said nothing for `idle`, so write the goodbye line and return, which closes the connection. `read` is cancel safe, so no bytes are lost.

use std::io::{Read, Write};
use std::process::Command;
use std::time::{Duration, Instant};

use echo_suite::{PROMPT, Server, round_trip};
use harness::{exercise_bin, run};

fn bin() -> &'static str {
    exercise_bin!("echo_idle")
}

#[test]
fn echoes_like_echo_tokio() {
    echo_suite::echoes_every_byte_in_order(bin());
    echo_suite::finishes_after_half_close(bin());
}

#[test]
fn an_idle_client_is_told_and_disconnected() {
    let server = Server::start(bin(), &["200"]);
    let client = server.connect();
    round_trip(&client, b"hello", PROMPT).unwrap();
    let start = Instant::now();
    let mut rest = String::new();
    (&client)
        .read_to_string(&mut rest)
        .expect("the server closes the idle connection");
    assert_eq!(rest, "idle for 200 ms, closing\n");
    assert!(
        start.elapsed() >= Duration::from_millis(150),
        "closed {:?} after the last byte, not 200 ms",
        start.elapsed()
    );
}

#[test]
fn a_client_that_keeps_talking_is_not_disconnected() {
    let server = Server::start(bin(), &["500"]);
    let client = server.connect();
    let start = Instant::now();
    // Every 50 ms for a second: never 500 ms of silence.
    while start.elapsed() < Duration::from_secs(1) {
        round_trip(&client, b"still here", PROMPT).unwrap_or_else(|why| {
            panic!("cut off after {:?}: {why}", start.elapsed())
        });
        std::thread::sleep(Duration::from_millis(50));
    }
    (&client).write_all(b"bye").unwrap();
}

#[test]
fn an_idle_time_that_is_not_a_positive_number_is_refused() {
    for bad in ["0", "soon", "-5"] {
        let out = run(Command::new(bin()).args(["127.0.0.1:0", bad]));
        assert_eq!(out.code(), Some(2), "idle_ms {bad:?}: {out}");
        assert!(
            out.stderr_text().contains("invalid idle time"),
            "idle_ms {bad:?}: say why on stderr: {out}"
        );
    }
}
