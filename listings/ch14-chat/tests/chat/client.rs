//! Listing 14-8: the client, driven through pipes as a shell would.

use std::io::{BufRead, BufReader};
use std::process::Command;
use std::time::Duration;

use harness::{DEADLINE, Normalizer, Server, run_with};

use super::{CHAT_THREADS, Chatter};

const CHAT_CLIENT: &str = env!("CARGO_BIN_EXE_chat_client");

#[test]
fn chat_client_sends_its_input_and_prints_the_room() {
    let server = Server::start(CHAT_THREADS, &[]);
    let mut bob = Chatter::join(server.addr(), "bob");
    let addr = server.addr().to_string();
    let out = run_with(
        Command::new(CHAT_CLIENT).args([addr.as_str(), "alice"]),
        b"hi bob\n/who\n/quit\n",
        DEADLINE,
    );
    out.assert_success();
    bob.expect("* alice joined");
    bob.expect("alice: hi bob");
    bob.expect("* alice left");
    let shown = Normalizer::new()
        .port(server.addr().port(), "7878")
        .apply(&out.stdout_text());
    harness::check_output!("../../output/chat_client.txt", &shown);
}

#[test]
fn chat_client_leaves_when_its_input_ends() {
    let server = Server::start(CHAT_THREADS, &[]);
    let mut bob = Chatter::join(server.addr(), "bob");
    let addr = server.addr().to_string();
    // No /quit: end of input is a half-close, and the server closes.
    let out = run_with(
        Command::new(CHAT_CLIENT).args([addr.as_str(), "alice"]),
        b"bye for now\n",
        DEADLINE,
    );
    out.assert_success();
    assert!(out.stdout_text().starts_with("* welcome alice\n"), "{out}");
    bob.expect("* alice joined");
    bob.expect("alice: bye for now");
    bob.expect("* alice left");
}

#[test]
fn chat_client_exits_when_the_server_closes() {
    let server = Server::start(CHAT_THREADS, &[]);
    let addr = server.addr().to_string();
    let mut cmd = Command::new(CHAT_CLIENT);
    cmd.args([addr.as_str(), "alice"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut client = harness::ChildGuard::spawn(&mut cmd).unwrap();
    // Keep its standard input open: only the server's close can end it.
    let _input = client.child_mut().stdin.take();
    let stdout = client.child_mut().stdout.take().unwrap();
    let (tx, printed) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let next = || {
        printed
            .recv_timeout(DEADLINE)
            .expect("a line from the client")
    };
    assert_eq!(next(), "* welcome alice");
    let _bob = Chatter::join(server.addr(), "bob");
    assert_eq!(next(), "* bob joined");
    drop(server);
    let status = client
        .wait_timeout(DEADLINE)
        .unwrap()
        .expect("the client exits when the server is gone");
    assert!(status.success(), "{status}");
}

#[test]
fn chat_client_reports_a_refused_connection() {
    // A port nobody listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run_with(
        Command::new(CHAT_CLIENT).args([format!("127.0.0.1:{port}").as_str(), "alice"]),
        b"",
        Duration::from_secs(10),
    );
    assert_eq!(out.code(), Some(1), "{out}");
    assert!(out.stderr_text().contains("Connection refused"), "{out}");
    let out = run_with(Command::new(CHAT_CLIENT).arg("only-one"), b"", DEADLINE);
    assert_eq!(out.code(), Some(2), "{out}");
    assert_eq!(out.stderr_text(), "usage: chat_client ADDR NAME\n");
}
