//! Creating and joining threads: spawn, join, Builder, and the
//! "subclass Thread" pattern.

use std::os::unix::process::ExitStatusExt;

use harness::{check_output, run};

use crate::{listing, panic_tids};

#[test]
fn join_returns_the_threads_value_and_a_panic_as_an_err() {
    let out = run(&mut listing(env!("CARGO_BIN_EXE_spawn_join")));
    out.assert_success(); // a panic in a spawned thread does not end the process
    let stdout = out.stdout_text();
    assert_eq!(
        stdout,
        "the counter thread returned 11\n\
         the divider panicked: attempt to divide by zero\n\
         main goes on\n"
    );
    // The default panic hook names the thread and its TID on stderr.
    let stderr = panic_tids().apply(&out.stderr_text());
    assert!(
        stderr.starts_with("\nthread '<unnamed>' (4243) panicked at "),
        "{stderr}"
    );
    assert!(stderr.contains("attempt to divide by zero\n"), "{stderr}");
    // What a terminal shows: the panic message is written before the thread
    // ends, so before join returns and main prints its second line.
    let (first, rest) = stdout.split_once('\n').unwrap();
    let shown = format!("{first}\n{stderr}{rest}");
    check_output!("../../output/spawn_join.txt", &shown);
}

#[test]
fn join_returns_the_value_when_the_thread_does_not_panic() {
    let out = run(listing(env!("CARGO_BIN_EXE_spawn_join")).arg("x"));
    out.assert_success();
    assert!(out.stdout_text().contains("the divider returned 100\n"));
    assert_eq!(out.stderr_text(), "");
}

#[test]
fn a_builder_names_threads_and_the_kernel_keeps_15_bytes_of_the_name() {
    let out = run(&mut listing(env!("CARGO_BIN_EXE_builder")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.contains(r#"name() = Some("resize-images-worker")"#));
    assert!(text.contains(r#"comm = "resize-images-w""#), "{text}");
    // An unnamed thread's comm is the program's name, inherited.
    assert!(text.contains(r#"unnamed: name() = None, comm = "builder""#));
    assert!(text.contains("8 MiB stack: recursed 1000 frames\n"));
    assert!(
        text.contains(
            "1 PiB stack: spawn failed: Resource temporarily unavailable (os error 11)\n"
        ),
        "{text}"
    );
    check_output!("../../output/builder.txt", &text);
}

#[test]
fn a_thread_that_overflows_its_stack_aborts_the_whole_process() {
    let out = run(listing(env!("CARGO_BIN_EXE_builder")).arg("--overflow"));
    assert_eq!(out.status.signal(), Some(libc::SIGABRT), "{out}");
    assert_eq!(out.stdout_text(), "", "main never gets to print");
    let stderr = panic_tids().apply(&out.stderr_text());
    assert!(
        stderr.contains("thread 'small' (4243) has overflowed its stack\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fatal runtime error: stack overflow"),
        "{stderr}"
    );
    check_output!("../../output/builder_overflow.txt", &stderr);
}

#[test]
fn a_task_struct_runs_on_a_named_thread_and_returns_its_result() {
    let out = run(&mut listing(env!("CARGO_BIN_EXE_thread_class")));
    out.assert_success();
    let text = out.stdout_text();
    assert_eq!(
        text,
        "thread \"low\" returned 41791750\n\
         thread \"high\" returned 292041750\n\
         sum of squares 1..=1000: 333833500\n"
    );
    check_output!("../../output/thread_class.txt", &text);
}

/// The notes' custom thread class, run by Python: `start()` calls the
/// overridden `run()`, and `Thread.__init__` keeps target and args in
/// private attributes (`_target`, `_args`, `_kwargs`), which it deletes
/// once `run` is done.
#[test]
fn python_start_calls_the_overridden_run() {
    let script = r#"
import threading
class MyThread(threading.Thread):
    def __init__(self, n):
        super().__init__(name="sum")
        self.n = n
        self.result = None
    def run(self):
        self.result = sum(i * i for i in range(1, self.n + 1))
t = MyThread(1000)
t.start(); t.join()
print(t.name, t.result)
plain = threading.Thread(target=print, args=("hi",))
print(plain._target is print, plain._args, plain._kwargs)
plain.start(); plain.join()
print(hasattr(plain, "_target"))
"#;
    let out = run(std::process::Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "sum 333833500\nTrue ('hi',) {}\nhi\nFalse\n"
    );
}

/// What the notes' `Thread` attributes do, checked on the Python that runs
/// the tests: default names, deprecated getters and setters, `start` once,
/// `daemon` before `start` only, joining a daemon thread, and IDs.
#[test]
fn python_thread_attributes_behave_as_the_chapter_says() {
    let script = r#"
import os, threading, warnings
warnings.simplefilter("error", DeprecationWarning)
def f(): pass
t = threading.Thread(target=f)
print(t.name.split("-")[0], t.name.endswith(" (f)"))
try:
    t.getName()
except DeprecationWarning as w:
    print("DeprecationWarning:", w)
for call in (lambda: t.setName("x"), lambda: t.setDaemon(True), lambda: t.isDaemon()):
    try:
        call()
    except DeprecationWarning:
        print("deprecated")
t.daemon = True
t.start()
try:
    t.start()
except RuntimeError as err:
    print("RuntimeError:", err)
try:
    t.daemon = False
except RuntimeError as err:
    print("RuntimeError:", err)
t.join()
print("joined a daemon thread:", not t.is_alive())
inherited = []
def outer():
    inherited.append(threading.Thread(target=f).daemon)
d = threading.Thread(target=outer, daemon=True)
d.start(); d.join()
print("made by a daemon thread:", inherited[0], "by main:", threading.Thread(target=f).daemon)
info = {}
def ids():
    info["pid"] = os.getpid()
    info["native"] = threading.get_native_id()
    info["ident"] = threading.get_ident()
    info["comm"] = open("/proc/thread-self/comm").read().strip()
    info["name"] = threading.current_thread().name
w = threading.Thread(target=ids, name="worker")
w.start(); w.join()
print(info["pid"] == os.getpid(), info["native"] != os.getpid(), w.native_id == info["native"])
print(os.path.isdir(f"/proc/self/task/{info['native']}") or "gone", info["ident"] != info["native"])
main_comm = open("/proc/thread-self/comm").read().strip()
print(info["name"], info["comm"] == main_comm)
"#;
    let out = run(std::process::Command::new("python3").args(["-c", script]));
    out.assert_success();
    let text = out.stdout_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Thread True", "{text}");
    assert!(
        lines[1].starts_with("DeprecationWarning: getName() is deprecated"),
        "{text}"
    );
    assert_eq!(&lines[2..5], ["deprecated"; 3], "{text}");
    assert_eq!(lines[5], "RuntimeError: threads can only be started once");
    assert_eq!(
        lines[6],
        "RuntimeError: cannot set daemon status of active thread"
    );
    assert_eq!(lines[7], "joined a daemon thread: True");
    // The daemon flag is inherited from the creating thread.
    assert_eq!(lines[8], "made by a daemon thread: True by main: False");
    // One PID for every thread; the native ID is the thread's TID.
    assert_eq!(lines[9], "True True True");
    // (The thread has ended, so its /proc/self/task entry may be gone.)
    assert!(lines[10].ends_with(" True"), "{text}");
    // The name stays in Python on 3.11: the kernel's comm is the program's.
    let version = run(std::process::Command::new("python3")
        .args(["-c", "import sys; print(sys.version_info[:2])"]));
    if version.stdout_text().trim() == "(3, 11)" {
        assert_eq!(lines[11], "worker True", "{text}");
    }
}
