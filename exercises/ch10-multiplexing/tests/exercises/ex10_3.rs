//! Exercise 10.3: Several threads on one epoll with EPOLLONESHOT
//! Edit: exercises/ch10-multiplexing/src/bin/echo_oneshot.rs
//! Hint: share the Epoll, the listener and a Mutex<HashMap<RawFd, Connection>> between the threads (thread::scope); a thread that gets an event takes the connection out of the map, pumps it without the lock, puts it back and only then re-arms it with modify(EPOLLONESHOT | what it waits for); the listener is one-shot too, re-armed once accept returns WouldBlock.

use echo_suite::{PROMPT, Server, process, round_trip, wait_until};
use harness::exercise_bin;

fn bin() -> &'static str {
    exercise_bin!("echo_oneshot")
}

#[test]
fn runs_the_threads_it_is_asked_for_and_echoes() {
    let server = Server::start(bin(), &["3"]);
    let clients: Vec<_> = (0..10).map(|_| server.connect()).collect();
    for client in &clients {
        round_trip(client, b"hello", PROMPT).unwrap();
    }
    // A server may start its threads after it prints its address: give
    // them a moment to appear, but no more than the prompt deadline.
    let three = wait_until(PROMPT, || process::threads(server.pid()) == 3);
    assert!(
        three,
        "echo_oneshot ADDR 3 runs 3 threads, the main thread included; it runs {}",
        process::threads(server.pid())
    );
}

#[test]
fn echoes_200_concurrent_streams_of_1_mib() {
    echo_suite::echoes_many_concurrent_streams(bin());
}

#[test]
fn waits_for_a_slow_reader_without_spinning_or_dropping_bytes() {
    echo_suite::waits_for_a_slow_reader(bin());
}

#[test]
fn sends_the_rest_and_closes_after_a_half_close() {
    echo_suite::finishes_after_half_close(bin());
}

#[test]
fn survives_running_out_of_descriptors() {
    echo_suite::survives_running_out_of_descriptors(bin());
}
