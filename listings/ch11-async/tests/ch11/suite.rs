//! The hand-made executor's echo server and tokio's, in both runtime
//! flavours, pass the robustness suite of Part IV.

use std::path::PathBuf;
use std::process::Command;

use tempfile::TempDir;

// ANCHOR: suite
echo_suite::robust_echo_tests!(
    echo_handmade,
    env!("CARGO_BIN_EXE_echo_handmade")
);
echo_suite::robust_echo_tests!(echo_tokio, env!("CARGO_BIN_EXE_echo_tokio"));
echo_suite::robust_echo_tests!(
    echo_tokio_current_thread,
    &crate::suite::current_thread().path()
);
// ANCHOR_END: suite

/// A two-line script that runs `echo_tokio ADDR current_thread`: the
/// suite starts a server as `BIN ADDR`, so the flavour goes in here. The
/// script `exec`s the server, so the process the suite watches is it.
pub struct Wrapper {
    dir: TempDir,
}

impl Wrapper {
    pub fn path(&self) -> String {
        self.dir
            .path()
            .join("echo_tokio_current_thread")
            .display()
            .to_string()
    }
}

pub fn current_thread() -> Wrapper {
    let dir = tempfile::tempdir().unwrap();
    let script: PathBuf = dir.path().join("echo_tokio_current_thread");
    let text = format!(
        "#!/bin/sh\nexec '{}' \"$1\" current_thread\n",
        env!("CARGO_BIN_EXE_echo_tokio")
    );
    // A child writes it, not this process: a descriptor open for writing
    // here could be inherited by a child that another test forks at that
    // moment, and running the script while any process holds one fails
    // with ETXTBSY ("Text file busy").
    harness::run(
        Command::new("sh")
            .args(["-c", "printf '%s' \"$1\" > \"$2\" && chmod 755 \"$2\""])
            .arg("sh")
            .arg(text)
            .arg(&script),
    )
    .assert_success();
    Wrapper { dir }
}

#[test]
fn echo_tokio_refuses_an_unknown_flavour() {
    let out = harness::run(
        std::process::Command::new(env!("CARGO_BIN_EXE_echo_tokio"))
            .args(["127.0.0.1:0", "green"]),
    );
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr_text().contains("unknown flavour \"green\""));
}

#[test]
fn echo_tokio_current_thread_runs_on_one_thread() {
    let wrapper = current_thread();
    let server = echo_suite::Server::start(&wrapper.path(), &[]);
    let client = server.connect();
    echo_suite::round_trip(&client, b"one thread?", echo_suite::PROMPT)
        .unwrap();
    assert_eq!(echo_suite::process::threads(server.pid()), 1);
}

#[test]
fn echo_handmade_runs_on_one_thread() {
    let server =
        echo_suite::Server::start(env!("CARGO_BIN_EXE_echo_handmade"), &[]);
    let clients: Vec<_> = (0..5).map(|_| server.connect()).collect();
    for client in &clients {
        echo_suite::round_trip(client, b"hello", echo_suite::PROMPT).unwrap();
    }
    assert_eq!(echo_suite::process::threads(server.pid()), 1);
}
