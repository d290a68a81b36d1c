//! Zombies and how to avoid them: wait, WaitStatus, WNOHANG, SIG_IGN.

use std::process::Command;

use harness::{check_output, run};

use crate::bin;
use crate::common::{have, numbers_after, python, renumber, run_listing};

#[test]
fn an_exited_child_is_a_zombie_until_waitpid_reaps_it() {
    let (out, pid) = run_listing(&mut Command::new(bin!("zombie")));
    out.assert_success();
    let text = out.stdout_text();
    let child = numbers_after(&text, &["child "])[0];
    assert!(text.starts_with(&format!("child {child}: state Z (zombie), parent {pid}\n")));
    assert!(
        text.contains(": 0 0 0 0 0 0 0\n"),
        "a zombie has no memory: {text}"
    );
    assert!(text.contains(&format!("waitpid: Exited(Pid({child}), 3)\n")));
    assert!(text.ends_with(&format!(
        "/proc/{child}: No such file or directory (os error 2)\n"
    )));
    let shown = renumber(&text, &[pid.into(), child], &[4242, 4243]);
    check_output!("../../output/zombie.txt", &shown);
}

#[test]
fn the_raw_status_is_code_times_256_only_after_a_normal_exit() {
    let (out, _) = run_listing(&mut Command::new(bin!("wait_status")));
    out.assert_success();
    let text = out.stdout_text();
    check_output!("../../output/wait_status.txt", &text);
    let raw: Vec<i32> = text
        .lines()
        .skip(1)
        .map(|line| {
            let before_macros = line.split("  W").next().unwrap();
            before_macros
                .split_whitespace()
                .last()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(raw, [0, 3 << 8, 7 << 8, 15, 9, (19 << 8) | 0x7f]);

    if !have("python3") {
        eprintln!("note: no python3: Python comparison skipped");
        return;
    }
    // Python's os.waitpid returns the same raw integers.
    let script = r#"
import os, signal
def child(code=None):
    pid = os.fork()
    if pid == 0:
        if code is not None:
            os._exit(code)
        while True:
            signal.pause()
    return pid
for code, sig in [(0, None), (3, None), (263, None),
                  (None, signal.SIGTERM), (None, signal.SIGKILL), (None, signal.SIGSTOP)]:
    pid = child(code)
    if sig is not None:
        os.kill(pid, sig)
    _, status = os.waitpid(pid, os.WUNTRACED)
    print(status)
    if os.WIFSTOPPED(status):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
"#;
    let out = run(python().args(["-c", script]));
    out.assert_success();
    let from_python: Vec<i32> = out
        .stdout_text()
        .lines()
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(from_python, raw);
    // waitstatus_to_exitcode decodes both cases, as nix's WaitStatus does.
    let out = run(python().args([
        "-c",
        "import os; print(os.waitstatus_to_exitcode(768), os.waitstatus_to_exitcode(15))",
    ]));
    assert_eq!(out.stdout_text(), "3 -15\n");
}

#[test]
fn wnohang_returns_still_alive_until_the_child_has_exited() {
    let (out, _) = run_listing(&mut Command::new(bin!("wnohang")));
    out.assert_success();
    let text = out.stdout_text();
    let child = numbers_after(&text, &["Exited(Pid("])[0];
    assert_eq!(text.matches("StillAlive").count(), 3, "{text}");
    assert!(text.ends_with(&format!(
        "WNOHANG: Exited(Pid({child}), 7); the child is reaped\n\
         /proc/{child} gone: true\n"
    )));
    check_output!(
        "../../output/wnohang.txt",
        &renumber(&text, &[child], &[4243])
    );
}

#[test]
fn with_sigchld_ignored_children_leave_no_zombie_and_no_status() {
    let (out, pid) = run_listing(&mut Command::new(bin!("sigchld_ignore")));
    out.assert_success();
    let text = out.stdout_text();
    let children = numbers_after(&text, &["forked ", ", "]);
    assert_eq!(children.len(), 3, "{text}");
    assert!(
        text.contains("wait: ECHILD, no child to wait for\n"),
        "{text}"
    );
    for child in &children {
        assert!(
            text.contains(&format!("/proc/{child} gone: true\n")),
            "{text}"
        );
    }
    assert!(
        text.contains("\nCommand::status: No child processes (os error 10)\n"),
        "{text}"
    );
    // The disposition is inherited: a program that never touched SIGCHLD,
    // started by this one, cannot wait for its own children either.
    assert!(
        text.ends_with("\nin a child program, Command::status: No child processes (os error 10)\n"),
        "{text}"
    );
    let mut pids = vec![i64::from(pid)];
    pids.extend(&children);
    let shown = renumber(&text, &pids, &[4242, 4243, 4244, 4245]);
    check_output!("../../output/sigchld_ignore.txt", &shown);
}

#[test]
fn python_with_sigchld_ignored_reports_success_for_a_failed_command() {
    if !have("python3") {
        eprintln!("note: no python3: Python comparison skipped");
        return;
    }
    // subprocess finds no child to wait for (ECHILD) and reports 0: the
    // failure of `false` is lost. std's Command reports the error instead.
    let script = "import signal, subprocess\n\
                  signal.signal(signal.SIGCHLD, signal.SIG_IGN)\n\
                  print(subprocess.run(['false']).returncode)";
    let out = run(python().args(["-c", script]));
    out.assert_success();
    assert_eq!(out.stdout_text(), "0\n");
}
