mod common;

use std::process::Command;

use harness::{Normalizer, check_output, run};

const PORTS: &str = env!("CARGO_BIN_EXE_ports");

/// The three ports the listing reports, in order: TCP, UDP, client.
fn reported_ports(text: &str) -> Vec<u16> {
    text.lines()
        .filter_map(|line| line.split(" got port ").nth(1))
        .map(|rest| rest.split(' ').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn port_zero_gets_an_ephemeral_port_from_the_kernels_range() {
    let out = run(&mut Command::new(PORTS));
    out.assert_success();
    let text = out.stdout_text();
    let (low, high) = common::ephemeral_range();
    let ports = reported_ports(&text);
    assert_eq!(ports.len(), 3, "{text}");
    for port in &ports {
        assert!((low..=high).contains(port), "{port} outside {low}-{high}");
    }
    // Machines differ in their ranges (Docker sets the unprivileged start
    // to 0, for one): the book shows the kernel defaults.
    let unprivileged = std::fs::read_to_string(
        "/proc/sys/net/ipv4/ip_unprivileged_port_start",
    )
    .unwrap();
    let shown = Normalizer::new()
        .replace(&format!(r"\b{low}-{high}\b"), "32768-60999")
        .replace(&format!(r"below {} ", unprivileged.trim()), "below 1024 ")
        .replace(r"(TCP bind to \S+ got port) \d+", "$1 33445")
        .replace(r"(UDP bind to \S+ got port) \d+", "$1 51234")
        .replace(r"(connecting client got port) \d+", "$1 40678")
        .apply(&text);
    check_output!("../output/ports.txt", &shown);
}

#[test]
fn binding_below_the_unprivileged_start_is_refused_without_privilege() {
    let start: u16 = std::fs::read_to_string(
        "/proc/sys/net/ipv4/ip_unprivileged_port_start",
    )
    .unwrap()
    .trim()
    .parse()
    .unwrap();
    if start <= 80 {
        eprintln!(
            "note: ip_unprivileged_port_start is {start}: port 80 is not privileged here"
        );
        return;
    }
    let Some(mut cmd) = common::unprivileged(PORTS) else {
        return;
    };
    // Refused before anything is bound: the check comes first in bind(2).
    let out = run(cmd.arg("80"));
    assert_eq!(out.code(), Some(1), "{}", out.stdout_text());
    check_output!("../output/ports-80.txt", &out.stderr_text());
}

#[test]
fn ports_rejects_a_port_that_is_not_a_number() {
    let out = run(Command::new(PORTS).arg("65536"));
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        "ports: 65536: number too large to fit in target type\n"
    );
}
