//! Python's asyncio streams talk to echo_tokio.

use std::process::Command;

use harness::{Server, check_output, run};

/// True if python3 is on PATH; otherwise says how to install it.
fn have_python() -> bool {
    let found = Command::new("python3").arg("--version").output().is_ok();
    if !found {
        eprintln!(
            "note: python3 not found; skipping (apt-get install python3)"
        );
    }
    found
}

#[test]
fn python_asyncio_tasks_take_turns_like_the_hand_made_executor() {
    if !have_python() {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/take_turns.py");
    let out = run(Command::new("python3").arg(script));
    out.assert_success();
    // The same output file as Listing 11-1's.
    check_output!("../../output/take_turns.txt", &out.stdout_text());
}

#[test]
fn python_asyncio_client_talks_to_echo_tokio() {
    if !have_python() {
        return;
    }
    let server = Server::start(env!("CARGO_BIN_EXE_echo_tokio"), &[]);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/echo_client.py");
    let out = run(Command::new("python3")
        .arg(script)
        .arg(server.addr().to_string()));
    out.assert_success();
    check_output!("../../output/echo_client_py.txt", &out.stdout_text());
}
