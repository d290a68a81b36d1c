//! Listing 14-9: the Python client, against both servers.

use std::process::Command;

use harness::{DEADLINE, Normalizer, Server, run_with};

use super::{CHAT_SERVER, CHAT_THREADS, Chatter};

const PYTHON_CLIENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/python/chat_client.py");

fn have_python() -> bool {
    let found = Command::new("python3").arg("--version").output().is_ok();
    if !found {
        eprintln!("note: python3 not found; skipping (apt-get install python3)");
    }
    found
}

fn python_client_chats_with(bin: &str) -> String {
    let server = Server::start(bin, &[]);
    let mut bob = Chatter::join(server.addr(), "bob");
    let addr = server.addr().to_string();
    let out = run_with(
        Command::new("python3").args([PYTHON_CLIENT, addr.as_str(), "蟒蛇"]),
        "hi bob, 你好\n/who\n/quit\n".as_bytes(),
        DEADLINE,
    );
    out.assert_success();
    bob.expect("* 蟒蛇 joined");
    bob.expect("蟒蛇: hi bob, 你好");
    bob.expect("* 蟒蛇 left");
    Normalizer::new()
        .port(server.addr().port(), "7878")
        .apply(&out.stdout_text())
}

#[test]
fn python_client_talks_to_both_servers() {
    if !have_python() {
        return;
    }
    let threads = python_client_chats_with(CHAT_THREADS);
    harness::check_output!("../../output/chat_client_py.txt", &threads);
    assert_eq!(python_client_chats_with(CHAT_SERVER), threads);
}

#[test]
fn python_client_leaves_when_its_input_ends() {
    if !have_python() {
        return;
    }
    let server = Server::start(CHAT_SERVER, &[]);
    let mut bob = Chatter::join(server.addr(), "bob");
    let addr = server.addr().to_string();
    let out = run_with(
        Command::new("python3").args([PYTHON_CLIENT, addr.as_str(), "py"]),
        b"no quit\n",
        DEADLINE,
    );
    out.assert_success();
    assert_eq!(out.stdout_text(), "* welcome py\n");
    bob.expect("* py joined");
    bob.expect("py: no quit");
    bob.expect("* py left");
}
