//! Exercise 6.3: Reaping commands as they end
//! Edit: exercises/ch06-processes/src/bin/reap_all.rs
//! Hint: Spawn every `sh -c COMMAND` first and remember which PID is which argument. Then call `nix::sys::wait::waitpid(None, None)`, which returns whichever child ends first, until none is left; `WaitStatus::Exited` and `WaitStatus::Signaled` carry what to print.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

use harness::{ChildGuard, DEADLINE, exercise_bin, run};

use super::stat_field;

#[test]
fn each_command_is_reported_with_its_status_or_signal() {
    let out = run(Command::new(exercise_bin!("reap_all")).args(["exit 0", "exit 3", "kill -9 $$"]));
    assert_eq!(out.code(), Some(1), "a command failed, so 1\n{out}");
    let mut lines: Vec<String> = out.stdout_text().lines().map(str::to_owned).collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "[1] exit status 0: exit 0",
            "[2] exit status 3: exit 3",
            "[3] killed by SIGKILL: kill -9 $$",
        ],
        "{out}"
    );
}

#[test]
fn all_succeeding_gives_0() {
    let out = run(Command::new(exercise_bin!("reap_all")).args(["true", "exit 0"]));
    assert_eq!(out.code(), Some(0), "{out}");
    assert_eq!(out.stdout_text().lines().count(), 2, "{out}");
}

#[test]
fn commands_are_reported_as_they_end_not_in_argument_order() {
    // The first command waits for a line on stdin; the others end at once.
    // Their lines must come while the first is still running.
    let mut cmd = Command::new(exercise_bin!("reap_all"));
    cmd.args(["read line; exit 4", "exit 0", "exit 1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut guard = ChildGuard::spawn(&mut cmd).unwrap();
    let mut stdin = guard.child_mut().stdin.take().unwrap();
    let stdout = guard.child_mut().stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut early = vec![
        lines
            .recv_timeout(DEADLINE)
            .expect("a line as soon as a command ends"),
        lines.recv_timeout(DEADLINE).expect("a second line"),
    ];
    early.sort();
    assert_eq!(
        early,
        ["[2] exit status 0: exit 0", "[3] exit status 1: exit 1"]
    );
    stdin.write_all(b"go\n").unwrap();
    drop(stdin);
    let last = lines.recv_timeout(DEADLINE).expect("the last line");
    assert_eq!(last, "[1] exit status 4: read line; exit 4");
    let status = guard
        .wait_timeout(DEADLINE)
        .unwrap()
        .expect("reap_all exits");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn no_child_is_left_unreaped() {
    // Each command prints its PID; once reap_all has exited, none of them
    // may be left, not even as a zombie of whoever adopted it.
    let mut cmd = Command::new(exercise_bin!("reap_all"));
    cmd.args(["echo $$", "echo $$; exit 2", "echo $$; kill -TERM $$"]);
    let out = run(&mut cmd);
    assert_eq!(out.code(), Some(1), "{out}");
    let text = out.stdout_text();
    let pids: Vec<i32> = text.lines().filter_map(|line| line.parse().ok()).collect();
    assert_eq!(pids.len(), 3, "{text}");
    assert!(text.contains("killed by SIGTERM"), "{text}");
    for pid in pids {
        assert_eq!(
            stat_field(pid, 3),
            None,
            "child {pid} was not reaped:\n{text}"
        );
    }
}

#[test]
fn no_arguments_is_a_usage_error() {
    let out = run(&mut Command::new(exercise_bin!("reap_all")));
    assert_eq!(out.code(), Some(2), "{out}");
    assert!(!out.stderr_text().is_empty(), "say why on stderr");
}
