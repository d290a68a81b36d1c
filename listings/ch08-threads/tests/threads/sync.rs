//! Synchronisation and mutual exclusion: Event, Lock, poisoning.

use std::process::Command;

use harness::{check_output, run};

use crate::{listing, panic_tids};

#[test]
fn an_event_built_from_a_mutex_and_a_condvar_behaves_like_pythons() {
    let out = run(&mut listing(env!("CARGO_BIN_EXE_event")));
    out.assert_success();
    let text = out.stdout_text();
    assert_eq!(
        text,
        "is_set() = false\n\
         wait_timeout(100 ms) = false\n\
         worker: setting the event\n\
         main: the event is set, wait() returned\n\
         wait_timeout(100 ms) = true\n\
         after clear(): is_set() = false\n"
    );
    check_output!("../../output/event.txt", &text);
}

/// The same steps with Python's `threading.Event`.
#[test]
fn python_event_wait_returns_the_flag() {
    let script = r#"
import threading
e = threading.Event()
print(e.is_set(), e.wait(0.1))
threading.Thread(target=e.set).start()
print(e.wait(), e.wait(0.1))
e.clear()
print(e.is_set())
"#;
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(out.stdout_text(), "False False\nTrue True\nFalse\n");
}

#[test]
fn a_panic_while_locked_poisons_the_mutex_until_cleared() {
    let out = run(&mut listing(env!("CARGO_BIN_EXE_poison")));
    out.assert_success();
    let text = out.stdout_text();
    assert_eq!(
        text,
        "mover joined: Err(\"panicked\")\n\
         lock: Err(poisoned lock: another task failed inside)\n\
         into_inner: Accounts { alice: 70, bob: 0 }, sum 70\n\
         after clear_poison: is_poisoned() = false\n\
         lock: Ok(100)\n"
    );
    let stderr = panic_tids().apply(&out.stderr_text());
    assert!(
        stderr.contains("a fee in digits: ParseIntError"),
        "{stderr}"
    );
    check_output!("../../output/poison.txt", &text);
}

/// What the notes say about `Lock`, and two things they do not: any
/// thread may release it, and an exception inside `with` releases it
/// without a trace, leaving half-done work behind.
#[test]
fn python_locks_raise_on_release_unlocked_and_do_not_poison() {
    let script = r#"
import threading
lock = threading.Lock()
try:
    lock.release()
except RuntimeError as err:
    print("RuntimeError:", err)
print(lock.acquire(), lock.acquire(False))
t = threading.Thread(target=lock.release)
t.start(); t.join()
print("released by another thread:", not lock.locked())
accounts = {"alice": 100, "bob": 0}
try:
    with lock:
        accounts["alice"] -= 30
        fee = int("thirty")
        accounts["bob"] += 30 - fee
except ValueError:
    pass
print(lock.locked(), accounts)
"#;
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "RuntimeError: release unlocked lock\n\
         True False\n\
         released by another thread: True\n\
         False {'alice': 70, 'bob': 0}\n"
    );
}

/// Python's `Lock` has a timed acquire and is not reentrant; `RLock` is.
/// A `Semaphore` can be released without an acquire, and then has more
/// permits than it started with; a `BoundedSemaphore` refuses.
#[test]
fn python_timed_acquire_rlock_and_semaphores() {
    let script = r#"
import threading
lock = threading.Lock()
print(lock.acquire(), lock.acquire(timeout=0.1))
rlock = threading.RLock()
print(rlock.acquire(), rlock.acquire())
sem = threading.Semaphore(1)
sem.release()
print(sem.acquire(blocking=False), sem.acquire(blocking=False), sem.acquire(blocking=False))
bounded = threading.BoundedSemaphore(1)
try:
    bounded.release()
except ValueError as err:
    print("ValueError:", err)
"#;
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "True False\n\
         True True\n\
         True True False\n\
         ValueError: Semaphore released too many times\n"
    );
}
