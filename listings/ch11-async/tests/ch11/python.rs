//! Python's asyncio streams talk to echo_tokio.

use std::process::Command;

use harness::{Server, check_output, run};

#[test]
fn python_asyncio_client_talks_to_echo_tokio() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("note: python3 not found; skipping (apt-get install python3)");
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
