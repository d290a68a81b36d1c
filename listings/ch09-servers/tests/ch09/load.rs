//! Listings 9-9 to 9-11: the load generator, against a real server and against
//! servers that misbehave.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::thread;

use harness::{Normalizer, Server, check_output, run};

const ECHO_LOAD: &str = env!("CARGO_BIN_EXE_echo_load");
const ECHO_THREADS: &str = env!("CARGO_BIN_EXE_echo_threads");

#[test]
fn echo_load_reports_throughput_and_latency_of_echo_threads() {
    let server = Server::start(ECHO_THREADS, &[]);
    let port = server.addr().port();
    let out =
        run(Command::new(ECHO_LOAD).args([&server.addr().to_string(), "-c", "100", "-m", "100"]));
    out.assert_success();
    let text = out.stdout_text();
    // Timings vary from run to run: show those of a release build's run on
    // the book's machine (`cargo run --release`), as the page does.
    let shown = Normalizer::new()
        .port(port, "7878")
        .replace(
            r"in \d+\.\d\d s: \d+\.\d MB/s, \d+ round trips/s",
            "in 0.07 s: 559.1 MB/s, 136489 round trips/s",
        )
        .replace(
            r"p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms, p99.9 [\d.]+ ms, max [\d.]+ ms",
            "p50 0.498 ms, p90 0.792 ms, p99 1.952 ms, p99.9 6.685 ms, max 11.633 ms",
        )
        .apply(&text);
    check_output!("../../output/echo_load.txt", &shown);
    assert!(
        text.contains("echoed 41.0 MB in "),
        "100 × 100 × 4096 bytes: {text}"
    );
}

#[test]
fn echo_load_fails_when_nothing_listens() {
    // Bind, note the port, close: nobody listens there now.
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let out = run(Command::new(ECHO_LOAD).args([&addr.to_string(), "-c", "3"]));
    assert_eq!(out.code(), Some(1), "{out}");
    assert_eq!(
        out.stderr_text(),
        "echo_load: 3 of 3 connections failed; the first: connection 0: connect: Connection refused (os error 111)\n"
    );
}

#[test]
fn echo_load_catches_a_server_that_changes_a_byte() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 16];
        let n = stream.read(&mut buf).unwrap();
        buf[n / 2] ^= 1;
        let _ = stream.write_all(&buf[..n]);
    });
    let out = run(Command::new(ECHO_LOAD).args([&addr.to_string(), "-c", "1", "-s", "16"]));
    assert_eq!(out.code(), Some(1), "{out}");
    assert_eq!(
        out.stderr_text(),
        "echo_load: 1 of 1 connections failed; the first: connection 0, message 0: the echo differs from what was sent\n"
    );
}

#[test]
fn echo_load_refuses_sizes_it_cannot_check_safely() {
    for (args, why) in [
        (
            &["127.0.0.1:7", "-s", "70000"][..],
            "the message size must be 1 to 65536 bytes",
        ),
        (
            &["127.0.0.1:7", "-c", "0"],
            "connections must be 1 to 10000",
        ),
        (
            &["localhost"],
            "\"localhost\" is not an address such as 127.0.0.1:7878",
        ),
        (&["127.0.0.1:7", "-x", "1"], "unknown option -x"),
    ] {
        let out = run(Command::new(ECHO_LOAD).args(args));
        assert_eq!(out.code(), Some(2), "{out}");
        assert_eq!(
            out.stderr_text(),
            format!(
                "echo_load: {why}\nusage: echo_load ADDR [-c CONNECTIONS] [-m MESSAGES] [-s SIZE] [-t SECONDS]\n"
            )
        );
    }
}
