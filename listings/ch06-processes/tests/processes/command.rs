//! std::process::Command as multiprocessing.Process: spawn, wait, output,
//! a function in a child, join with a timeout, children that die with
//! their parent, and the Process "class".

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use harness::{ChildGuard, DEADLINE, check_output, run, run_with};

use crate::bin;
use crate::common::{have, numbers_after, python, renumber, run_listing, state_and_parent};

#[test]
fn command_passes_arguments_and_environment_and_reports_code_or_signal() {
    // A PATH with a directory we may not search would turn "not found"
    // into "permission denied" (execvp reports EACCES then): use the
    // standard one.
    let (out, _) = run_listing(Command::new(bin!("command")).env("PATH", "/usr/bin:/bin"));
    out.assert_success();
    let text = out.stdout_text();
    let child = numbers_after(&text, &["child "])[0];
    assert!(
        text.starts_with(&format!("hello, world (pid {child})\n")),
        "{text}"
    );
    assert!(text.contains("exit status: 3; code() = Some(3)\n"));
    assert!(text.contains("status: signal: 15 (SIGTERM); code() = None, signal() = Some(15)\n"));
    assert!(text.contains("(NotFound)\n"));
    check_output!(
        "../../output/command.txt",
        &renumber(&text, &[child], &[4243])
    );
}

#[test]
fn a_child_copy_of_the_program_runs_the_function_it_is_told_to() {
    let (out, pid) = run_listing(&mut Command::new(bin!("run_function")));
    out.assert_success();
    let text = out.stdout_text();
    let children = numbers_after(&text, &["in child "]);
    assert_eq!(children.len(), 3, "{text}");
    assert!(!children.contains(&pid.into()));
    assert!(
        text.contains("count_primes(10000) = 1229 in child"),
        "{text}"
    );
    assert!(
        text.contains("count_primes(40000) = 4203 in child"),
        "{text}"
    );
    check_output!(
        "../../output/run_function.txt",
        &renumber(&text, &children, &[4243, 4244, 4245])
    );
}

#[test]
fn wait_timeout_returns_early_for_a_quick_child_and_gives_up_on_a_slow_one() {
    let (out, _) = run_listing(&mut Command::new(bin!("join_timeout")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(
        text.starts_with("sleep 0.1: ended within 20s: exit status: 0\n"),
        "{text}"
    );
    assert!(
        text.ends_with("sleep 3600: signal: 9 (SIGKILL)\n"),
        "{text}"
    );
    check_output!("../../output/join_timeout.txt", &text);
}

#[test]
fn a_guard_kills_children_on_return_and_pdeathsig_kills_them_when_the_parent_is_killed() {
    let (out, pid) = run_listing(&mut Command::new(bin!("daemon_children")));
    out.assert_success();
    let text = out.stdout_text();
    let numbers = numbers_after(&text, &["parent ", "sleep "]);
    let [guarded, guarded_child, crashing, with, without, ..] = numbers[..] else {
        panic!("unexpected PIDs {numbers:?} in\n{text}");
    };
    assert!(text.contains(&format!(
        "guard: killed group {guarded_child}: signal: 15 (SIGTERM)\n"
    )));
    assert!(text.contains("guard: the parent ended: exit status: 0\n"));
    assert!(text.contains("pdeathsig: the parent ended: signal: 9 (SIGKILL)\n"));
    assert!(text.contains(&format!(
        "sleep {with}: Signaled(Pid({with}), SIGTERM, false)\n"
    )));
    assert!(
        text.contains(&format!(
            "sleep {without}: still alive, now a child of {pid};"
        )),
        "{text}"
    );
    let pids = [pid.into(), guarded, guarded_child, crashing, with, without];
    let shown = renumber(&text, &pids, &[4242, 4243, 4244, 4245, 4246, 4247]);
    check_output!("../../output/daemon_children.txt", &shown);
}

#[test]
fn the_process_struct_behaves_like_pythons_process() {
    let (out, _) = run_listing(&mut Command::new(bin!("process_class")));
    out.assert_success();
    let text = out.stdout_text();
    let sleeper = numbers_after(&text, &["pid "])[0];
    assert!(
        text.starts_with("countdown-1: 3\ncountdown-1: 2\ncountdown-1: 1\n"),
        "{text}"
    );
    assert!(text.contains("countdown-1: exit status: 0; alive: false\n"));
    assert!(text.contains(&format!("sleeper-1: pid {sleeper}, alive: true\n")));
    assert!(text.ends_with("sleeper-1: terminated: signal: 15 (SIGTERM); alive: false\n"));
    check_output!(
        "../../output/process_class.txt",
        &renumber(&text, &[sleeper], &[4243])
    );
}

#[test]
fn python_process_attributes_start_join_and_exitcode() {
    if !have("python3") {
        eprintln!("note: no python3: Python comparison skipped");
        return;
    }
    let script = r#"
import multiprocessing as mp, sys, time
def nap():
    time.sleep(60)
def grandchild():
    try:
        mp.Process(target=print).start()
    except AssertionError as err:
        print("AssertionError:", err, flush=True)
def read_stdin():
    print("the child reads", repr(sys.stdin.read()), flush=True)
if __name__ == "__main__":
    mp.set_start_method("fork")  # Linux's default before Python 3.14
    p = mp.Process(target=nap)
    print(p.name, p.pid, p.is_alive(), p.exitcode)
    p.start()
    p.join(0.1)
    print(p.is_alive(), p.exitcode)
    p.terminate()
    p.join()
    print(p.is_alive(), p.exitcode)
    try:
        p.start()
    except AssertionError as err:
        print("AssertionError:", err)
    try:
        p.daemon = True
    except AssertionError as err:
        print("AssertionError:", err)
    q = mp.Process(target=grandchild, daemon=True)
    q.start()
    q.join()
    q = mp.Process(target=read_stdin)
    q.start()
    q.join()
    print("the parent reads", repr(sys.stdin.read()))
"#;
    let out = run_with(python().args(["-c", script]), b"typed\n", DEADLINE);
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "Process-1 None False None\nTrue None\nFalse -15\n\
         AssertionError: cannot start a process twice\n\
         AssertionError: process has already started\n\
         AssertionError: daemonic processes are not allowed to have children\n\
         the child reads ''\n\
         the parent reads 'typed\\n'\n"
    );
}

/// A script without `if __name__ == "__main__":`, run with the "spawn"
/// start method. Python writes it to a temporary directory of its own
/// and runs it: the child imports the main module from its file.
const PYTHON_NO_GUARD: &str = r#"
import os, subprocess, sys, tempfile
script = """
import multiprocessing as mp
def f():
    pass
p = mp.get_context("spawn").Process(target=f)
p.start()
p.join()
print("exitcode", p.exitcode)
"""
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "no_guard.py")
    with open(path, "w") as file:
        file.write(script)
    run = subprocess.run([sys.executable, path], capture_output=True, text=True, timeout=20)
print(run.stdout, end="")
print("RuntimeError:", "RuntimeError" in run.stderr)
print("names the idiom:", "if __name__ == '__main__':" in run.stderr)
"#;

#[test]
fn python_without_the_main_guard_refuses_to_start_a_spawned_child() {
    if !have("python3") {
        eprintln!("note: no python3: Python comparison skipped");
        return;
    }
    let out = run(python().args(["-c", PYTHON_NO_GUARD]));
    out.assert_success();
    // The child ran the parent's code, tried to start a process itself,
    // and was stopped; the parent saw it fail.
    assert_eq!(
        out.stdout_text(),
        "exitcode 1\nRuntimeError: True\nnames the idiom: True\n"
    );
}

/// A Python parent that starts a child that is not daemonic, says who
/// both are, and reaches the end of its script.
const PYTHON_JOINS: &str = r#"
import multiprocessing as mp, os, signal
if __name__ == "__main__":
    mp.set_start_method("fork")  # Linux's default before Python 3.14
    p = mp.Process(target=signal.pause)
    p.start()
    print(os.getpid(), p.pid, flush=True)
"#;

#[test]
fn python_waits_at_exit_for_a_child_that_is_not_daemonic() {
    if !have("python3") {
        eprintln!("note: no python3: Python comparison skipped");
        return;
    }
    let mut cmd = python();
    cmd.args(["-c", PYTHON_JOINS])
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    let mut guard = ChildGuard::spawn(&mut cmd).unwrap();
    let stdout = guard.child_mut().stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let pids: Vec<i32> = line
        .split_whitespace()
        .map(|pid| pid.parse().unwrap())
        .collect();
    let [parent, child] = pids[..] else {
        panic!("bad line {line:?}")
    };
    // The script has ended; the parent waits in the kernel's do_wait for
    // its child (Python's atexit handler joins it).
    let mut wchan = String::new();
    let waiting = harness::wait_until(DEADLINE, || {
        wchan = std::fs::read_to_string(format!("/proc/{parent}/wchan")).unwrap_or_default();
        wchan == "do_wait"
    });
    assert!(
        waiting,
        "python never waited for its child (wchan {wchan:?})"
    );
    assert_eq!(state_and_parent(child).map(|(_, ppid)| ppid), Some(parent));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    // Its child has ended: now the parent exits too.
    let status = guard
        .wait_timeout(DEADLINE)
        .unwrap()
        .expect("python exits once its child has ended");
    assert!(status.success(), "{status}");
    assert_eq!(state_and_parent(child), None, "the child was reaped");
}

/// A Python parent that starts a daemonic child, prints its PID, then
/// exits normally or kills itself.
const PYTHON_DAEMON: &str = r#"
import multiprocessing as mp, os, signal, sys, time
def nap():
    os.close(1)  # let the test see our parent's output end
    time.sleep(60)
if __name__ == "__main__":
    mp.set_start_method("fork")  # Linux's default before Python 3.14
    p = mp.Process(target=nap, daemon=True)
    p.start()
    print(p.pid, flush=True)
    if sys.argv[1] == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
"#;

#[test]
fn python_kills_daemonic_children_at_a_normal_exit_but_not_when_killed() {
    if !have("python3") {
        eprintln!("note: no python3: Python comparison skipped");
        return;
    }
    for how in ["exit", "kill"] {
        let mut cmd = python();
        cmd.args(["-c", PYTHON_DAEMON, how])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        // The guard kills the whole group at the end, the child included.
        let mut guard = ChildGuard::spawn(&mut cmd).unwrap();
        let stdout = guard.child_mut().stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let child: i32 = line.trim().parse().unwrap();
        guard
            .wait_timeout(DEADLINE)
            .unwrap()
            .expect("python exited");
        match how {
            // atexit terminated and joined it: it is gone.
            "exit" => assert_eq!(state_and_parent(child), None),
            // Nothing ran: it lives on, adopted by someone else.
            _ => {
                let (state, parent) = state_and_parent(child).expect("the child lives");
                assert_ne!(state, "Z");
                assert_ne!(parent, guard.id() as i32);
            }
        }
    }
}
