//! Threads and processes: one PID, a TID per thread, and what they share.

use std::process::Command;

use harness::{Normalizer, check_output, run};
use regex::Regex;

use crate::{Running, ids_shown_as_4242, listing};

#[test]
fn every_thread_has_the_process_pid_and_a_tid_of_its_own() {
    let out = run(&mut listing(env!("CARGO_BIN_EXE_tids")));
    out.assert_success();
    let text = out.stdout_text();
    let ids = Regex::new(r"PID (\d+), TID (\d+)").unwrap();
    let pairs: Vec<(u32, u32)> = ids
        .captures_iter(&text)
        .map(|c| (c[1].parse().unwrap(), c[2].parse().unwrap()))
        .collect();
    assert_eq!(pairs.len(), 3, "{text}");
    let pid = pairs[0].0;
    // The main thread's TID is the PID; the others share the PID only.
    assert_eq!(pairs[0].1, pid);
    assert!(pairs.iter().all(|(p, _)| *p == pid), "{text}");
    let mut tids: Vec<u32> = pairs.iter().map(|(_, tid)| *tid).collect();
    tids.sort();
    tids.dedup();
    assert_eq!(tids.len(), 3, "three different TIDs: {text}");
    // /proc/<pid>/task lists exactly those three threads.
    assert!(
        text.contains(&format!("/proc/{pid}/task: {tids:?}\n")),
        "{text}"
    );
    assert!(text.ends_with("Threads: 3\n"), "{text}");

    let shown = ids_shown_as_4242(&[pid, pairs[1].1, pairs[2].1]).apply(&text);
    check_output!("../../output/tids.txt", &shown);
}

#[test]
fn threads_share_memory_descriptors_and_directory_but_not_stack_or_signal_mask()
{
    let out = run(&mut listing(env!("CARGO_BIN_EXE_shared")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.contains("main reads ANSWER = 42\n"), "{text}");
    assert!(
        Regex::new(r"fd \d+ in main is /dev/null\n")
            .unwrap()
            .is_match(&text)
    );
    assert!(text.contains("main's is now /\n"), "{text}");
    assert!(text.contains("main's local is in [stack]\n"), "{text}");
    // Rust's default stack for a spawned thread: 2 MiB, mapped by glibc.
    assert!(
        text.contains(
            "the thread's local is in an anonymous mapping, 2048 KiB\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "main   SigBlk 0000000000000000 (SIGUSR1 blocked: false)"
        )
    );
    assert!(
        text.contains("thread SigBlk 0000000000000200 (SIGUSR1 blocked: true)")
    );
    let shown = Normalizer::new()
        .replace(r"fd \d+ in main", "fd 3 in main")
        .apply(&text);
    check_output!("../../output/shared.txt", &shown);
}

/// `ps` shows a multi-threaded process with a lowercase `l` in STAT (the
/// notes say `L`, which means pages locked in memory), and `-L` lists its
/// threads.
#[test]
fn ps_marks_a_multithreaded_process_with_a_lowercase_l() {
    if Command::new("ps").arg("--version").output().is_err() {
        eprintln!("note: ps (procps) is not installed; skipped");
        return;
    }
    // `daemon --join` waits, with two threads, until its input ends.
    let mut running =
        Running::start(listing(env!("CARGO_BIN_EXE_daemon")).arg("--join"));
    assert_eq!(running.line(), "main: waiting for the worker");
    let pid = running.guard.id().to_string();
    let stat = run(Command::new("ps").args(["-o", "stat=,nlwp=", "-p", &pid]));
    let stat = stat.stdout_text();
    let fields: Vec<&str> = stat.split_whitespace().collect();
    assert!(fields[0].contains('l'), "STAT {stat:?}");
    assert!(!fields[0].contains('L'), "STAT {stat:?}");
    assert_eq!(fields[1], "2", "NLWP {stat:?}");
    let tids = run(Command::new("ps").args(["-L", "-o", "lwp=", "-p", &pid]));
    assert_eq!(
        tids.stdout_text().lines().count(),
        2,
        "{}",
        tids.stdout_text()
    );
    drop(running.stdin.take()); // end of input: the worker, then main, end
    assert_eq!(running.exits_within(harness::DEADLINE), Some(Some(0)));
}
