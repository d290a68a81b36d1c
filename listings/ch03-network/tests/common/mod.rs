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

/// Runs the shell script `script` (with `$0` = `arg0` and `$@` = `args`)
/// as root of a new user namespace and of new network, mount and UTS
/// namespaces: a private network stack with only a loopback interface (down
/// until the script brings it up), its own mounts and its own host name.
/// Nothing the script does reaches this machine's network, and no packet
/// can leave. `None` when this machine cannot create such namespaces (no
/// `unshare` or `ip`, or unprivileged user namespaces disabled): the
/// caller has then said nothing yet, and says what it skips.
pub fn sh_in_new_namespaces(
    script: &str,
    arg0: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Option<Output> {
    if !have("unshare") || !have("ip") {
        eprintln!(
            "note: no unshare or ip command: cannot create a private namespace"
        );
        return None;
    }
    const FLAGS: [&str; 4] = ["--map-root-user", "--net", "--mount", "--uts"];
    let probe = run(Command::new("unshare").args(FLAGS).arg("true"));
    if !probe.status.success() {
        eprintln!(
            "note: cannot create a private user+network namespace here ({})",
            probe.stderr_text().trim()
        );
        return None;
    }
    Some(run(Command::new("unshare")
        .args(FLAGS)
        .args(["sh", "-c", script, arg0])
        .args(args)
        .envs(env.iter().copied())))
}

/// Runs `bin args…` in new namespaces as `sh_in_new_namespaces` does, with
/// the loopback interface up, after `setup` (a shell snippet ending in
/// `&&`, or empty) has run there.
pub fn in_new_netns(setup: &str, bin: &str, args: &[&str]) -> Option<Output> {
    let script = format!("ip link set lo up && {setup} exec \"$0\" \"$@\"");
    sh_in_new_namespaces(&script, bin, args, &[])
}

/// Setup for `in_new_netns`: a second interface `d0` with the documentation
/// address 192.0.2.1/24, standing in for a machine's LAN address. A dummy
/// interface where the kernel has the module, else one end of a veth pair;
/// the address goes on `lo` if neither exists. Either way it is an address
/// of the (private) machine that is not loopback.
pub const SECOND_ADDRESS: &str = "192.0.2.1";
pub const WITH_SECOND_ADDRESS: &str = "\
    if ip link add d0 type dummy 2>/dev/null ||
        ip link add d0 type veth peer name d1 2>/dev/null; then
        dev=d0; ip link set d0 up
    else
        dev=lo
    fi &&
    ip address add 192.0.2.1/24 dev $dev &&";

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
