//! Signals: coalescing and queueing, a handler that sets a flag, a clean
//! shutdown on SIGTERM, and SIGKILL, which nothing can catch.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use harness::{Normalizer, check_output, run};
use nix::mqueue::{MQ_OFlag, MqAttr, mq_close, mq_open, mq_send};
use nix::sys::stat::Mode;

use crate::bin;
use crate::common::{Cleanup, Running, assert_nothing_left, have, queue_exists, run_forking};

#[test]
fn two_standard_signals_sent_while_blocked_arrive_as_one_real_time_ones_as_two() {
    let (out, _) = run_forking(&mut Command::new(bin!("signal_count")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.contains("handler runs while blocked: 0\n"), "{text}");
    assert!(text.contains("SIGUSR1 handler runs: 1\n"), "{text}");
    assert!(
        text.contains("SIGRTMIN handler runs: 2, values [1, 2]\n"),
        "{text}"
    );
    check_output!("../../output/signal_count.txt", &text);
}

/// Starts the `shutdown` worker and sends it two jobs. The `Cleanup`
/// removes the worker's queue when the test ends, however it ends.
fn worker_with_two_jobs() -> (Running, String, Cleanup) {
    let mut worker = Running::start(&mut Command::new(bin!("shutdown")));
    let cleanup = Cleanup(worker.pid());
    let mut lines = vec![worker.next_line()];
    let name = format!("/ch07-jobs-{}", worker.pid());
    assert!(
        lines[0].ends_with(&format!("jobs on {name}; SIGTERM stops me")),
        "{lines:?}"
    );
    let attr = MqAttr::new(0, 8, 128, 0);
    let queue = mq_open(
        name.as_str(),
        MQ_OFlag::O_WRONLY,
        Mode::empty(),
        Some(&attr),
    )
    .unwrap();
    for job in ["resize photo", "send mail"] {
        mq_send(&queue, job.as_bytes(), 0).unwrap();
    }
    mq_close(queue).unwrap();
    lines.push(worker.next_line());
    lines.push(worker.next_line());
    assert_eq!(
        lines[1..],
        ["job \"resize photo\" done", "job \"send mail\" done"]
    );
    (worker, name, cleanup)
}

#[test]
fn sigterm_lets_the_worker_finish_and_remove_its_queue() {
    let (worker, name, _cleanup) = worker_with_two_jobs();
    let pid = worker.pid();
    worker.signal(libc::SIGTERM);
    let (status, text) = worker.wait();
    assert_eq!(status.code(), Some(0), "{text}");
    assert!(
        text.ends_with(&format!("SIGTERM: finishing up\nremoving {name}\n")),
        "{text}"
    );
    assert!(!queue_exists(&name));
    assert_nothing_left(pid);
    let shown = Normalizer::new().pid(pid, "4242").apply(&text);
    check_output!("../../output/shutdown.txt", &shown);
}

#[test]
fn sigint_stops_the_worker_the_same_way() {
    let (worker, name, _cleanup) = worker_with_two_jobs();
    worker.signal(libc::SIGINT);
    let (status, text) = worker.wait();
    assert_eq!(status.code(), Some(0), "{text}");
    assert!(text.contains("SIGINT: finishing up\n"), "{text}");
    assert!(!queue_exists(&name));
}

#[test]
fn sigkill_cannot_be_caught_so_the_queue_stays_behind() {
    let (worker, name, _cleanup) = worker_with_two_jobs(); // removes what SIGKILL leaves
    worker.signal(libc::SIGKILL);
    let (status, text) = worker.wait();
    assert_eq!(status.signal(), Some(libc::SIGKILL), "{text}");
    assert!(!text.contains("finishing up"), "{text}");
    assert!(
        queue_exists(&name),
        "no clean-up ran, so the queue is still there"
    );
}

#[test]
fn python_runs_its_handler_once_for_two_signals_even_real_time_ones() {
    if !have("python3") {
        eprintln!("note: no python3; Python's signal handling not checked");
        return;
    }
    let script = "
import os, signal
runs = {signal.SIGUSR1: 0, signal.SIGRTMIN: 0}
def handler(signum, frame):
    runs[signum] += 1
for sig in runs:
    signal.signal(sig, handler)
signal.pthread_sigmask(signal.SIG_BLOCK, set(runs))
for sig in runs:
    os.kill(os.getpid(), sig)
    os.kill(os.getpid(), sig)
signal.pthread_sigmask(signal.SIG_UNBLOCK, set(runs))
print(runs[signal.SIGUSR1], runs[signal.SIGRTMIN])
try:
    signal.signal(signal.SIGKILL, handler)
except OSError as err:
    print(err)
";
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    // Python's C-level handler only sets a flag per signal, and the Python
    // handler runs once per flag: the second SIGRTMIN is lost here, too.
    assert_eq!(out.stdout_text(), "1 1\n[Errno 22] Invalid argument\n");
}

#[test]
fn signal_hook_refuses_to_register_sigkill() {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let result = std::panic::catch_unwind(|| {
        signal_hook::flag::register(signal_hook::consts::SIGKILL, flag)
    });
    // signal-hook panics ("Attempted to register forbidden signal 9")
    // before it touches the signal: nothing can be done about SIGKILL.
    assert!(result.is_err());
}
