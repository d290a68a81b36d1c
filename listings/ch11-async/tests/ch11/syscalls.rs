//! What the two runtimes ask of the kernel per message, counted with
//! `strace -c` under the same load (skipped without a working strace).

use std::fs;
use std::process::Command;
use std::time::Duration;

use std::thread;

use echo_suite::{PROMPT, round_trip};
use harness::Server;

/// True if strace can trace a child here; otherwise says why not.
fn have_strace() -> bool {
    let works = Command::new("strace")
        .args(["-f", "-o", "/dev/null", "true"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !works {
        eprintln!(
            "note: strace missing or not allowed; skipping (apt-get install strace)"
        );
    }
    works
}

/// Runs `bin` under `strace -f -c` while 10 clients each send 10
/// messages, 20 ms apart, so that the server waits before each one; returns
/// (epoll_ctl calls, recvfrom calls that failed).
fn count_syscalls(bin: &str, args: &[&str]) -> (u64, u64) {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary");
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-c", "-e", "trace=epoll_ctl,recvfrom", "-o"])
        .arg(&summary)
        .arg(bin)
        .arg("127.0.0.1:0")
        .args(args);
    let server = Server::start_command(&mut cmd);
    let clients: Vec<_> = (0..10)
        .map(|_| {
            let stream = server.connect();
            thread::spawn(move || {
                for _ in 0..10 {
                    round_trip(&stream, &[7; 100], PROMPT).unwrap();
                    // Not a synchronisation: a pause, so the server waits.
                    thread::sleep(Duration::from_millis(20));
                }
            })
        })
        .collect();
    for client in clients {
        client.join().expect("a client failed");
    }
    // SIGTERM to the group ends the server; strace then writes its table.
    server.signal(libc::SIGTERM);
    server.wait(harness::DEADLINE);
    let table = fs::read_to_string(&summary).unwrap();
    // Rows: % time, seconds, usecs/call, calls, [errors,] syscall.
    let row = |name: &str| -> Vec<u64> {
        table
            .lines()
            .find(|line| line.split_whitespace().last() == Some(name))
            .map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                fields[3..fields.len() - 1]
                    .iter()
                    .map(|n| n.parse().unwrap())
                    .collect()
            })
            .unwrap_or_default()
    };
    let epoll_ctl = row("epoll_ctl").first().copied().unwrap_or(0);
    let failed_reads = row("recvfrom").get(1).copied().unwrap_or(0);
    eprintln!("{bin}: {epoll_ctl} epoll_ctl, {failed_reads} failed reads");
    (epoll_ctl, failed_reads)
}

#[test]
fn the_hand_made_reactor_rearms_per_wait_and_tokio_registers_once() {
    if !have_strace() {
        return;
    }
    let (ctl, failed) =
        count_syscalls(env!("CARGO_BIN_EXE_echo_handmade"), &[]);
    // 100 pauses: most are a failed read and an EPOLL_CTL_MOD to re-arm.
    assert!(
        ctl >= 50 && failed >= 50,
        "echo_handmade, 100 messages: {ctl} epoll_ctl, {failed} failed reads"
    );
    let bin = env!("CARGO_BIN_EXE_echo_tokio");
    let (ctl, failed) = count_syscalls(bin, &["current_thread"]);
    // One EPOLL_CTL_ADD per socket (edge-triggered), and a read shorter
    // than the buffer counts as "drained": it waits without trying again.
    assert!(
        ctl <= 30 && failed <= 30,
        "echo_tokio, 100 messages: {ctl} epoll_ctl, {failed} failed reads"
    );
}
