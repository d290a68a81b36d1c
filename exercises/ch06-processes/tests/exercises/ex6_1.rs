//! Exercise 6.1: A `timeout` command
//! Edit: exercises/ch06-processes/src/bin/timeout.rs
//! Hint: Start the command with `Command::process_group(0)`, so that `killpg` reaches everything it starts; send `SIGCONT` after `SIGTERM`. Wait in a thread that sends `child.wait()` down a channel, and `recv_timeout` on that channel. A `spawn` error of kind `NotFound` is 127, any other 126. After a death by signal (`ExitStatusExt::signal`), reset that signal to `SigDfl` and `raise` it.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use harness::{Output, exercise_bin, run};

use super::{ended, have};

/// The status a shell would show: the exit code, or 128 + N after a
/// death by signal N.
fn shell_status(out: &Output) -> Option<i32> {
    out.code()
        .or(out.status.signal().map(|signal| 128 + signal))
}

/// A PATH whose directories anyone may search: with one we may not enter
/// (`/root/...` when the tests run as another user), `execvp` reports
/// "permission denied" instead of "not found" for a missing command.
const PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// Runs our `timeout` with `args`, and coreutils' with the same arguments
/// when it is installed; checks that a shell would see `expected` for both.
fn both(args: &[&str], expected: i32) -> Output {
    let ours = run(Command::new(exercise_bin!("timeout"))
        .args(args)
        .env("PATH", PATH));
    assert_eq!(
        shell_status(&ours),
        Some(expected),
        "timeout {args:?}: a shell should see status {expected}\n{ours}"
    );
    if have("timeout") {
        let real = run(Command::new("timeout").args(args).env("PATH", PATH));
        assert_eq!(
            shell_status(&real),
            Some(expected),
            "coreutils' timeout {args:?}: {real}"
        );
    }
    ours
}

#[test]
fn a_command_that_ends_in_time_gives_its_own_status() {
    both(&["5", "sh", "-c", "exit 3"], 3);
    both(&["600", "true"], 0); // and does not wait out the 600 s
}

#[test]
fn the_commands_output_passes_through() {
    let out = both(&["5", "echo", "hello", "world"], 0);
    assert_eq!(out.stdout_text(), "hello world\n");
}

#[test]
fn a_command_still_running_at_the_deadline_is_terminated_with_124() {
    both(&["0.3", "sleep", "600"], 124);
    both(&["0.2s", "sleep", "600"], 124);
}

#[test]
fn a_stopped_command_is_continued_so_that_it_can_die() {
    // The shell stops itself (state T): SIGTERM alone would stay pending.
    both(&["0.3", "sh", "-c", "kill -STOP $$"], 124);
}

#[test]
fn the_whole_process_group_is_terminated() {
    // sh starts a background sleep and prints its PID; it must die too.
    let script = "sleep 600 & echo $!; wait";
    let out = both(&["0.3", "sh", "-c", script], 124);
    let grandchild: i32 = out.stdout_text().trim().parse().expect("a PID");
    assert!(
        ended(grandchild),
        "the background sleep {grandchild} outlived timeout"
    );
}

#[test]
fn a_command_killed_by_a_signal_takes_timeout_down_with_the_same_signal() {
    let out = both(&["5", "sh", "-c", "kill -9 $$"], 137);
    assert_eq!(
        out.status.signal(),
        Some(9),
        "killed by SIGKILL, not exit 137: {out}"
    );
    let out = both(&["5", "sh", "-c", "kill -TERM $$"], 143);
    assert_eq!(out.status.signal(), Some(15), "{out}");
}

#[test]
fn zero_means_no_limit() {
    both(&["0", "sh", "-c", "exit 5"], 5);
}

#[test]
fn a_missing_command_gives_127_and_one_that_cannot_run_126() {
    let out = both(&["5", "no-such-command-ex61"], 127);
    assert!(out.stderr_text().contains("no-such-command-ex61"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("not-executable");
    std::fs::write(&script, "#!/bin/sh\nexit 0\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o644)).unwrap();
    both(&["5", script.to_str().unwrap()], 126);
}

#[test]
fn bad_arguments_give_125() {
    both(&["soon", "sleep", "1"], 125);
    both(&["-1", "sleep", "1"], 125);
    let out = run(&mut Command::new(exercise_bin!("timeout")));
    assert_eq!(out.code(), Some(125), "no arguments: {out}");
    assert!(
        !out.stderr_text().is_empty(),
        "no arguments: say why on stderr"
    );
}
