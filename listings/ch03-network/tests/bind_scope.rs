mod common;

use std::process::Command;

use harness::{Normalizer, check_output, run};

fn bind_scope(addr: &str) -> String {
    let out = run(Command::new(env!("CARGO_BIN_EXE_bind_scope")).arg(addr));
    out.assert_success();
    out.stdout_text()
}

/// Shows each port the kernel picked (one per run of the listing) as the
/// listing's default, 7803 (0x1E7B in /proc/net/tcp).
fn normalise(text: &str) -> String {
    text.lines()
        .filter_map(|line| line.strip_prefix("listening on "))
        .map(|addr| addr.rsplit(':').next().unwrap().parse::<u16>().unwrap())
        .fold(Normalizer::new(), |norm, port| {
            norm.port(port, "7803")
                .replace(&format!(":{port:04X}\\b"), ":1E7B")
        })
        .apply(text)
}

/// In the machine's own network namespace the tests stay on 127.0.0.0/8:
/// nothing here binds the wildcard address or talks to a real interface.
#[test]
fn loopback_listener_is_refused_through_another_loopback_address() {
    let text = bind_scope("127.0.0.1:0");
    check_output!("../output/bind_scope.txt", &normalise(&text));
    assert!(text.contains(" 0A  = 127.0.0.1:"), "{text}");
    let port = common::listening_port(&text);
    for (via, result) in [
        ("127.0.0.1", format!("accepted at 127.0.0.1:{port}")),
        ("127.0.0.2", "Connection refused (os error 111)".to_owned()),
    ] {
        let line = format!("connect to {via}:{port}: {result}\n");
        assert!(text.contains(&line), "expected {line:?} in\n{text}");
    }
}

/// The claims about the wildcard address and "another address of this
/// machine", checked in a private network namespace whose second address
/// is the documentation address 192.0.2.1: binding 0.0.0.0 there exposes
/// nothing, and no packet leaves it.
#[test]
fn only_a_wildcard_listener_is_reached_through_another_address() {
    let other = common::SECOND_ADDRESS;
    let script = format!(
        "ip link set lo up && {} \
         \"$0\" 127.0.0.1:0 {other} && exec \"$0\" 0.0.0.0:0 {other}",
        common::WITH_SECOND_ADDRESS
    );
    let bin = env!("CARGO_BIN_EXE_bind_scope");
    let Some(out) = common::sh_in_new_namespaces(&script, bin, &[], &[]) else {
        eprintln!("note: wildcard and second-address checks skipped");
        return;
    };
    out.assert_success();
    let text = out.stdout_text();
    // Two runs: the loopback listener's lines, then the wildcard one's.
    let second = text
        .find("listening on 0.0.0.0:")
        .unwrap_or_else(|| panic!("two runs expected in\n{text}"));
    let (loopback, wildcard) = text.split_at(second);
    let port = common::listening_port(loopback);
    assert!(loopback.contains(" 0A  = 127.0.0.1:"), "{text}");
    for (via, result) in [
        ("127.0.0.1", format!("accepted at 127.0.0.1:{port}")),
        ("127.0.0.2", "Connection refused (os error 111)".to_owned()),
        (other, "Connection refused (os error 111)".to_owned()),
    ] {
        let line = format!("connect to {via}:{port}: {result}\n");
        assert!(loopback.contains(&line), "expected {line:?} in\n{text}");
    }
    let port = common::listening_port(wildcard);
    assert!(wildcard.contains(" 00000000:"), "{text}");
    for via in ["127.0.0.1", "127.0.0.2", other] {
        let line =
            format!("connect to {via}:{port}: accepted at {via}:{port}\n");
        assert!(wildcard.contains(&line), "expected {line:?} in\n{text}");
    }
    check_output!("../output/bind_scope-netns.txt", &normalise(&text));
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
