//! The harness's own tests: deadlines, process ownership, normalisation,
//! output comparison and server start-up.

use std::io::{BufRead, BufReader, Write};
use std::panic;
use std::process::Command;
use std::time::{Duration, Instant};

use harness::{ChildGuard, Normalizer, RunError, Server, exited_within, run, run_with, try_run};

#[test]
fn a_hung_child_is_killed_at_the_deadline_and_reported() {
    let started = Instant::now();
    let err = try_run(
        Command::new("sh").args(["-c", "echo started; exec sleep 60"]),
        b"",
        Duration::from_millis(300),
    )
    .expect_err("sleep 60 cannot finish in 300 ms");
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(10),
        "gave up only after {elapsed:?}"
    );
    let RunError::TimedOut { stdout, .. } = &err else {
        panic!("expected a time-out, got {err}");
    };
    assert_eq!(stdout, b"started\n", "the partial output is kept");
    let message = err.to_string();
    assert!(message.contains("did not finish within 300ms"), "{message}");
    assert!(message.contains("it was killed"), "{message}");
}

#[test]
fn run_turns_a_time_out_into_a_test_failure_with_a_message() {
    let outcome = panic::catch_unwind(|| {
        run_with(
            Command::new("sleep").arg("60"),
            b"",
            Duration::from_millis(200),
        )
    });
    let payload = outcome.expect_err("run_with must panic on a time-out");
    let message = payload
        .downcast_ref::<String>()
        .expect("a formatted panic message");
    assert!(
        message.starts_with("`sleep 60` did not finish"),
        "{message}"
    );
}

#[test]
fn run_captures_status_stdout_and_stderr_and_feeds_stdin() {
    let out = run_with(
        Command::new("sh").args(["-c", "cat; printf oops >&2; exit 3"]),
        b"from the test\n",
        harness::DEADLINE,
    );
    assert_eq!(out.code(), Some(3));
    assert_eq!(out.stdout_text(), "from the test\n");
    assert_eq!(out.stderr_text(), "oops");
}

#[test]
fn a_program_that_cannot_start_is_an_error_not_a_hang() {
    let err = try_run(
        &mut Command::new("/nonexistent/program"),
        b"",
        harness::DEADLINE,
    )
    .expect_err("no such program");
    assert!(matches!(err, RunError::Spawn(_)), "{err}");
    assert!(err.to_string().contains("/nonexistent/program"), "{err}");
}

#[test]
fn the_guard_kills_the_child_and_its_children_when_a_test_panics() {
    let (tx, rx) = std::sync::mpsc::channel();
    let outcome = panic::catch_unwind(move || {
        let mut guard = ChildGuard::spawn(
            Command::new("sh")
                .args(["-c", "sleep 60 & echo $$ $!; wait"])
                .stdout(std::process::Stdio::piped()),
        )
        .unwrap();
        let stdout = guard.child_mut().stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        tx.send(line).unwrap();
        panic!("the test fails while the child runs");
    });
    assert!(outcome.is_err());
    let line = rx.recv().unwrap();
    let pids: Vec<u32> = line
        .split_whitespace()
        .map(|pid| pid.parse().unwrap())
        .collect();
    for pid in pids {
        assert!(
            exited_within(pid, Duration::from_secs(10)).unwrap(),
            "process {pid} survived the guard"
        );
    }
}

#[test]
fn normalizer_rewrites_paths_pids_ports_and_durations() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}/out.txt written by 4711 on 127.0.0.1:43210 in 12.5ms\n",
        dir.path().display()
    );
    let shown = Normalizer::new()
        .path(dir.path(), "/home/you/demo")
        .pid(4711, "1234")
        .port(43210, "7878")
        .durations("1ms")
        .apply(&text);
    assert_eq!(
        shown,
        "/home/you/demo/out.txt written by 1234 on 127.0.0.1:7878 in 1ms\n"
    );
}

#[test]
fn a_changed_output_file_fails_naming_the_file_and_the_first_differing_line() {
    // Skip the rewrite that `cargo xtask bless` would do: this test is about
    // the failure.
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        return;
    }
    let outcome = panic::catch_unwind(|| {
        harness::check_output!("fixtures/three-lines.txt", "one\nTWO\nthree\n");
    });
    let payload = outcome.expect_err("the texts differ");
    let message = payload.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with("listings/harness/tests/fixtures/three-lines.txt:2: "),
        "{message}"
    );
    assert!(
        message.contains(r#"book (output file): "two\n""#),
        "{message}"
    );
    assert!(
        message.contains(r#"listing (real run): "TWO\n""#),
        "{message}"
    );
    // And the same text passes.
    harness::check_output!("fixtures/three-lines.txt", "one\ntwo\nthree\n");
}

#[test]
fn the_mismatch_message_shown_in_the_book_is_the_real_one() {
    let file = std::path::Path::new("listings/harness/tests/fixtures/three-lines.txt");
    let expected = std::fs::read_to_string("tests/fixtures/three-lines.txt").unwrap();
    let message = harness::describe_mismatch(file, &expected, "one\nTWO\nthree\n").unwrap();
    harness::check_output!("../output/mismatch.txt", &message);
    assert!(harness::describe_mismatch(file, &expected, &expected).is_none());
}

#[test]
fn a_server_is_started_on_a_free_port_and_reaped() {
    let mut server = Server::start(env!("CARGO_BIN_EXE_test-server"), &[]);
    let addr = server.addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0, "the real port is read from `listening on`");
    let mut stream = server.connect();
    stream.write_all(b"ping\n").unwrap();
    let mut echo = String::new();
    BufReader::new(&stream).read_line(&mut echo).unwrap();
    assert_eq!(echo, "ping\n");
    assert_eq!(server.next_line(harness::DEADLINE), "echoed 5 bytes");
    let pid = server.pid();
    let out = server.stop();
    assert!(!out.status.success(), "killed, not exited");
    assert!(exited_within(pid, Duration::from_secs(1)).unwrap());
}

#[test]
fn a_server_that_dies_before_listening_fails_with_its_stderr() {
    let outcome = panic::catch_unwind(|| {
        Server::start_command(Command::new(env!("CARGO_BIN_EXE_test-server")).arg("not-an-address"))
    });
    let payload = outcome.err().expect("the server cannot bind");
    let message = payload.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("never printed `listening on <addr>`"),
        "{message}"
    );
    assert!(message.contains("invalid socket address"), "{message}");
}

#[test]
fn run_returns_once_the_program_exits() {
    let out = run(&mut Command::new("true"));
    out.assert_success();
}
