mod common;

use std::net::IpAddr;
use std::process::Command;

use harness::{Normalizer, check_output, run};

fn bind_scope(addr: &str, extra: &[String]) -> String {
    let out = run(Command::new(env!("CARGO_BIN_EXE_bind_scope"))
        .arg(addr)
        .args(extra));
    out.assert_success();
    out.stdout_text()
}

/// Shows the port the kernel picked as the listing's default, 7803
/// (0x1E7B in /proc/net/tcp).
fn normalise(text: &str) -> String {
    let port = common::listening_port(text);
    Normalizer::new()
        .port(port, "7803")
        .replace(&format!(":{port:04X}\\b"), ":1E7B")
        .apply(text)
}

/// This machine's IPv4 addresses outside 127.0.0.0/8, if it has any.
fn other_local_ipv4() -> Vec<String> {
    nix::ifaddrs::getifaddrs()
        .unwrap()
        .filter_map(|entry| entry.address?.as_sockaddr_in().map(|v4| v4.ip()))
        .filter(|ip| !ip.is_loopback())
        .map(|ip| IpAddr::V4(ip).to_string())
        .collect()
}

#[test]
fn loopback_listener_is_refused_through_another_local_address() {
    let text = bind_scope("127.0.0.1:0", &[]);
    check_output!("../output/bind_scope.txt", &normalise(&text));
    assert!(text.contains(" 0A  = 127.0.0.1:"), "{text}");
    let port = common::listening_port(&text);
    assert!(
        text.contains(&format!(
            "connect to 127.0.0.2:{port}: Connection refused"
        ))
    );
}

#[test]
fn loopback_listener_is_refused_through_this_machines_other_addresses() {
    let others = other_local_ipv4();
    if others.is_empty() {
        eprintln!(
            "note: no IPv4 address besides loopback here; 127.0.0.2 stands in"
        );
    }
    let text = bind_scope("127.0.0.1:0", &others);
    let port = common::listening_port(&text);
    for ip in &others {
        let line = format!("connect to {ip}:{port}: Connection refused");
        assert!(text.contains(&line), "expected {line:?} in\n{text}");
    }
}

/// The one test that binds the wildcard address: on an ephemeral port, for
/// the milliseconds the listing runs, accepting only its own connections.
#[test]
fn wildcard_listener_is_reachable_through_every_local_address() {
    let others = other_local_ipv4();
    let text = bind_scope("0.0.0.0:0", &[]);
    check_output!("../output/bind_scope-any.txt", &normalise(&text));
    assert!(text.contains(" 00000000:"), "{text}");
    let text = bind_scope("0.0.0.0:0", &others);
    let port = common::listening_port(&text);
    for ip in others
        .iter()
        .map(String::as_str)
        .chain(["127.0.0.1", "127.0.0.2"])
    {
        let line = format!("connect to {ip}:{port}: accepted at {ip}:{port}");
        assert!(text.contains(&line), "expected {line:?} in\n{text}");
    }
}

#[test]
fn ss_shows_the_address_the_listener_is_bound_to() {
    if !common::have("ss") {
        eprintln!("note: no `ss` command; comparison skipped");
        return;
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let filter = format!("sport = :{port}");
    let out = run(Command::new("ss").args(["-H", "-tln", &filter]));
    out.assert_success();
    let fields: Vec<String> = out
        .stdout_text()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert_eq!(fields[0], "LISTEN");
    assert_eq!(fields[3], format!("127.0.0.1:{port}"));
    assert_eq!(fields[4], "0.0.0.0:*");
}

#[test]
fn bind_scope_reports_an_address_in_use_like_a_tool() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = run(Command::new(env!("CARGO_BIN_EXE_bind_scope")).arg(&addr));
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        format!("bind_scope: {addr}: Address already in use (os error 98)\n")
    );
}
