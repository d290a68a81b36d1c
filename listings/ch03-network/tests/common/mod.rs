//! Helpers shared by this chapter's tests.
#![allow(dead_code)] // each test file uses some of them

use std::path::Path;
use std::process::Command;

use harness::{Output, run};

/// Whether this test process runs as root.
pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// Whether `program` is on PATH.
pub fn have(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| dir.join(program).is_file())
    })
}

/// Runs `bin args…` as root of a new user and network namespace, with the
/// loopback interface up, after `setup` (a shell snippet) has run there.
/// `None` when this machine cannot create such namespaces (no `unshare`
/// or `ip`, or unprivileged user namespaces disabled): the caller says so
/// and tests what it can without one.
pub fn in_new_netns(setup: &str, bin: &str, args: &[&str]) -> Option<Output> {
    if !have("unshare") || !have("ip") {
        eprintln!("note: no unshare or ip command; namespace test skipped");
        return None;
    }
    let probe =
        run(Command::new("unshare").args(["--map-root-user", "--net", "true"]));
    if !probe.status.success() {
        eprintln!(
            "note: cannot create a user+network namespace here ({}); namespace test skipped",
            probe.stderr_text().trim()
        );
        return None;
    }
    let script = format!("ip link set lo up && {setup} exec \"$0\" \"$@\"");
    Some(run(Command::new("unshare")
        .args(["--map-root-user", "--net", "sh", "-c", &script, bin])
        .args(args)))
}

/// A command that runs `bin` as the unprivileged user `nobody` (65534),
/// when this test runs as root and `setpriv` exists; `bin` itself when the
/// test is not root. `None` when root without setpriv.
pub fn unprivileged(bin: &str) -> Option<Command> {
    if !is_root() {
        return Some(Command::new(bin));
    }
    if !have("setpriv") || !Path::new(bin).exists() {
        eprintln!(
            "note: running as root without setpriv; unprivileged test skipped"
        );
        return None;
    }
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
    Some(cmd)
}

/// The ephemeral port range of this machine.
pub fn ephemeral_range() -> (u16, u16) {
    let text =
        std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
            .unwrap();
    let numbers: Vec<u16> = text
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    (numbers[0], numbers[1])
}

/// The port in a `listening on 127.0.0.1:PORT` first line.
pub fn listening_port(stdout: &str) -> u16 {
    let line = stdout.lines().next().unwrap_or_default();
    let addr = line.strip_prefix("listening on ").unwrap_or_else(|| {
        panic!("first line is not `listening on …`: {line:?}")
    });
    addr.rsplit(':').next().unwrap().parse().unwrap()
}
