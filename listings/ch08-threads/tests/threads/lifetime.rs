//! How long threads live: joining with a timeout, and what happens to the
//! other threads when main returns (Python's daemon flag).

use std::io::Write;
use std::process::Command;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use harness::{DEADLINE, check_output, run};

use crate::{Running, listing, panic_tids};

#[test]
fn a_result_channel_gives_join_a_timeout_and_reports_a_panic() {
    let out = run(&mut listing(env!("CARGO_BIN_EXE_timed_join")));
    out.assert_success();
    let text = out.stdout_text();
    assert_eq!(
        text,
        "after 100 ms: Err(Timeout), is_finished() = false\n\
         after stop:   Ok(42)\n\
         a panicking thread: Err(Disconnected)\n\
         join says: Err(\"it panicked\")\n"
    );
    let stderr = panic_tids().apply(&out.stderr_text());
    assert!(stderr.contains("panicked at"), "{stderr}");
    assert!(stderr.contains("the job failed"), "{stderr}");
    check_output!("../../output/timed_join.txt", &text);
}

/// Python's `join(timeout)` returns None either way: only `is_alive()`
/// tells a timeout from an ended thread.
#[test]
fn python_join_with_a_timeout_returns_none_either_way() {
    let script = r#"
import threading
stop = threading.Event()
t = threading.Thread(target=stop.wait)
t.start()
print(t.join(0.1), t.is_alive())
stop.set()
print(t.join(5), t.is_alive())
"#;
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(out.stdout_text(), "None True\nNone False\n");
}

#[test]
fn when_main_returns_the_process_ends_and_its_threads_with_it() {
    // The worker blocks reading standard input, which the test keeps open
    // and never writes: only the end of the process can end the worker.
    let mut running =
        Running::start(&mut listing(env!("CARGO_BIN_EXE_daemon")));
    let text = format!("{}\n", running.line());
    assert_eq!(text, "main: returning\n");
    assert_eq!(running.exits_within(DEADLINE), Some(Some(0)));
    assert!(running.stdin.is_some(), "input was open all along");
    // Nothing more: the output ends (the worker never printed).
    match running.lines.recv_timeout(DEADLINE) {
        Err(RecvTimeoutError::Disconnected) => {}
        other => panic!("after main returned: {other:?}"),
    }
    check_output!("../../output/daemon.txt", &text);
}

#[test]
fn with_join_main_waits_for_the_worker_as_python_does_by_default() {
    let mut running =
        Running::start(listing(env!("CARGO_BIN_EXE_daemon")).arg("--join"));
    let mut text = format!("{}\n", running.line());
    assert_eq!(text, "main: waiting for the worker\n");
    // Main is blocked in join while the worker blocks in read_line: the
    // process stays.
    assert_eq!(running.exits_within(Duration::from_millis(300)), None);
    // Type a line (the test plays the terminal).
    let mut stdin = running.stdin.take().unwrap();
    stdin.write_all(b"hello\n").unwrap();
    drop(stdin);
    for _ in 0..2 {
        text.push_str(&running.line());
        text.push('\n');
    }
    assert_eq!(running.exits_within(DEADLINE), Some(Some(0)));
    assert_eq!(
        text,
        "main: waiting for the worker\nworker: read \"hello\\n\"\nmain: returning\n"
    );
    check_output!("../../output/daemon_join.txt", &text);
}

const DAEMON_PY: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/python/daemon.py");

#[test]
fn python_waits_for_a_non_daemon_thread_but_not_for_a_daemon_thread() {
    // daemon=True: the interpreter exits while the worker still blocks.
    let mut daemon =
        Running::start(Command::new("python3").args([DAEMON_PY, "--daemon"]));
    assert_eq!(
        daemon.line(),
        "main: worker started (daemon=True); main's code ends"
    );
    assert_eq!(daemon.exits_within(DEADLINE), Some(Some(0)));

    // daemon=False (the default): main's code has ended, but the process
    // waits for the worker. 300 ms of it still running shows the wait;
    // then a line of input lets the worker, and so the process, end.
    let mut normal = Running::start(Command::new("python3").arg(DAEMON_PY));
    assert_eq!(
        normal.line(),
        "main: worker started (daemon=False); main's code ends"
    );
    assert_eq!(normal.exits_within(Duration::from_millis(300)), None);
    let mut stdin = normal.stdin.take().unwrap();
    stdin.write_all(b"hello\n").unwrap();
    drop(stdin);
    assert_eq!(normal.line(), "worker: read b'hello\\n'");
    assert_eq!(normal.exits_within(DEADLINE), Some(Some(0)));
}
