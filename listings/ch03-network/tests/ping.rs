mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use ch03_network::icmp::{PING_GROUP_RANGE, parse_group_range};
use harness::{Normalizer, check_output, run};

const PING: &str = env!("CARGO_BIN_EXE_ping");

fn normalise(text: &str) -> String {
    Normalizer::new()
        .replace(r"time=\d+\.\d{3} ms", "time=0.045 ms")
        .replace(
            r"min/avg/max = [\d.]+/[\d.]+/[\d.]+ ms",
            "min/avg/max = 0.045/0.045/0.045 ms",
        )
        // Inside a user namespace, group IDs not mapped into it read as
        // 65534: the kernel's default range "1 0" reads as "65534 0" when
        // the test runs as root (0 is mapped), and as "65534 65534" when it
        // runs as an ordinary user (neither end is mapped).
        .replace(r"your groups: [\d ]+\n", "your groups: 1000\n")
        .replace("is \"65534 0\"", "is \"1 0\"")
        .replace(
            "is \"65534 65534\": groups 65534 to 65534.",
            "is \"1 0\": no group at all.",
        )
        .apply(text)
}

/// Sets the namespace's own ping_group_range: the host's is left alone.
fn with_range(range: &str) -> String {
    format!("echo '{range}' > {PING_GROUP_RANGE} &&")
}

#[test]
fn ping_gets_replies_where_ping_group_range_allows_it() {
    // Root of the new user namespace has group 0 there: "0 0" admits it.
    let Some(out) = common::in_new_netns(&with_range("0 0"), PING, &[]) else {
        eprintln!("note: echo reply test skipped");
        return;
    };
    out.assert_success();
    let text = out.stdout_text();
    for sequence in 1..=3 {
        let line =
            format!("24 bytes from 127.0.0.1: icmp_seq={sequence} time=");
        assert!(text.contains(&line), "{text}");
    }
    check_output!("../output/ping.txt", &normalise(&text));
}

#[test]
fn ping_names_the_sysctl_and_exits_2_where_it_is_refused() {
    // A new network namespace starts with the kernel's default range,
    // "1 0": empty, no group at all.
    let Some(out) = common::in_new_netns("", PING, &[]) else {
        eprintln!("note: refusal test skipped");
        return;
    };
    assert_eq!(out.code(), Some(2), "{}", out.stderr_text());
    assert_eq!(out.stdout_text(), "");
    let text = out.stderr_text();
    assert!(text.starts_with(
        "ping: cannot open an ICMP datagram socket: Permission denied"
    ));
    check_output!("../output/ping-refused.txt", &normalise(&text));
}

#[test]
fn ping_exits_1_when_no_reply_comes() {
    // The namespace's kernel ignores echo requests: a host that does not
    // answer pings. One request, and -W 0.2 rather than the default 2 s, so
    // the test waits one 200 ms timeout.
    let setup = format!(
        "echo 1 > /proc/sys/net/ipv4/icmp_echo_ignore_all && {}",
        with_range("0 0")
    );
    let args = ["-W", "0.2", "127.0.0.1", "1"];
    let start = Instant::now();
    let Some(out) = common::in_new_netns(&setup, PING, &args) else {
        eprintln!("note: no-reply test skipped");
        return;
    };
    // It waited the whole timeout, and not much longer (the bound leaves
    // room for making namespaces on a loaded machine).
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(200), "gave up after {took:?}");
    assert!(took < Duration::from_millis(1700), "gave up after {took:?}");
    assert_eq!(out.code(), Some(1), "{}", out.stderr_text());
    assert_eq!(
        out.stdout_text(),
        "PING 127.0.0.1 (127.0.0.1): 16 data bytes\n\
         no reply to icmp_seq=1 within 200ms\n\
         --- 127.0.0.1 ping statistics ---\n\
         1 sent, 0 received, 100% lost\n"
    );
}

#[test]
fn ping_on_this_machine_replies_or_names_the_sysctl() {
    let text = std::fs::read_to_string(PING_GROUP_RANGE).unwrap();
    let (low, high) = parse_group_range(&text).unwrap();
    let mut groups = vec![nix::unistd::getegid()];
    groups.extend(nix::unistd::getgroups().unwrap());
    let allowed = groups
        .iter()
        .any(|group| (low..=high).contains(&group.as_raw()));
    let out = run(Command::new(PING).args(["127.0.0.1", "1"]));
    if allowed {
        out.assert_success();
        assert!(
            out.stdout_text()
                .contains("bytes from 127.0.0.1: icmp_seq=1 time=")
        );
    } else {
        eprintln!(
            "note: ping_group_range is {low} {high} here: the refusal path runs"
        );
        assert_eq!(out.code(), Some(2), "{}", out.stderr_text());
        assert!(
            out.stderr_text()
                .contains(&format!("ping_group_range is \"{low} {high}\""))
        );
    }
}

#[test]
fn ping_reports_bad_arguments_like_ping() {
    let out = run(Command::new(PING).args(["127.0.0.1", "x"]));
    assert_eq!(out.code(), Some(2));
    assert_eq!(
        out.stderr_text(),
        "ping: x: invalid digit found in string\n"
    );
    for secs in ["0", "-1", "soon"] {
        let out = run(Command::new(PING).args(["-W", secs, "127.0.0.1"]));
        assert_eq!(out.code(), Some(2));
        assert_eq!(
            out.stderr_text(),
            format!("ping: -W {secs}: not a positive number of seconds\n")
        );
    }
}
