//! Listing 9-7: one thread per connection.

use echo_suite::process;
use echo_suite::{PROMPT, Server, round_trip, wait_until};

const ECHO_THREADS: &str = env!("CARGO_BIN_EXE_echo_threads");

#[test]
fn echo_threads_runs_one_thread_per_connection() {
    let server = Server::start(ECHO_THREADS, &[]);
    let pid = server.pid();
    assert_eq!(process::threads(pid), 1, "the main thread accepts");
    let clients: Vec<_> = (0..5).map(|_| server.connect()).collect();
    for client in &clients {
        round_trip(client, b"hello", PROMPT).unwrap();
    }
    assert_eq!(process::threads(pid), 6, "one more per client");
    drop(clients);
    assert!(
        wait_until(PROMPT, || process::threads(pid) == 1),
        "each thread ends with its connection; {} left",
        process::threads(pid)
    );
}

#[test]
fn echo_threads_prints_where_it_listens() {
    let server = Server::start(ECHO_THREADS, &[]);
    let port = server.addr().port();
    let out = server.stop();
    let shown = harness::Normalizer::new()
        .port(port, "7878")
        .apply(&out.stdout_text());
    harness::check_output!("../../output/echo_threads.txt", &shown);
}
