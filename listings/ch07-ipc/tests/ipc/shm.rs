//! Shared memory: private copies, lost updates, atomics and locks, and
//! named objects in /dev/shm.

use std::process::Command;

use harness::{Normalizer, check_output, run};
use nix::fcntl::OFlag;
use nix::sys::mman::{shm_open, shm_unlink};
use nix::sys::stat::Mode;

use crate::bin;
use crate::common::{Cleanup, assert_nothing_left, have, run_forking, shm_exists};

#[test]
fn shared_memory_loses_updates_unless_they_are_atomic_or_locked() {
    let (out, _) = run_forking(&mut Command::new(bin!("shared_counter")));
    out.assert_success();
    let text = out.stdout_text();
    let value = |label: &str| -> u64 {
        let line = text.lines().find(|line| line.starts_with(label)).unwrap();
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!(value("private memory:"), 0, "a child's copy is its own");
    // How many survive depends on the scheduler (a late store can even
    // undo other children's work), so the test asks only that some were
    // lost, and that the counter moved at all.
    let racy = value("shared, load then store:");
    assert!(racy < 40_000, "no update was lost: {text}");
    assert!(racy > 0, "{text}");
    assert_eq!(value("shared, fetch_add:"), 40_000);
    assert_eq!(value("shared, load then store, locked:"), 40_000);
    // How many updates survive varies; the book shows one real run.
    let shown = Normalizer::new()
        .replace(r"(load then store: +)\d+", "${1}10000")
        .apply(&text);
    check_output!("../../output/shared_counter.txt", &shown);
}

#[test]
fn unrelated_processes_share_memory_by_name_in_dev_shm() {
    let (out, pid) = run_forking(&mut Command::new(bin!("shm_named")));
    let _cleanup = Cleanup(pid);
    out.assert_success();
    let text = out.stdout_text();
    let name = format!("/ch07-shm-{pid}");
    assert!(
        text.contains(&format!(
            "parent wrote \"hello from the parent\" to /dev/shm{name}\n"
        )),
        "{text}"
    );
    assert!(text.contains(&format!(
        "child read \"hello from the parent\" from {name}\n"
    )));
    assert!(
        text.ends_with("parent reads \"hello from the child\"\n"),
        "{text}"
    );
    assert_nothing_left(pid);
    let shown = Normalizer::new().pid(pid, "4242").apply(&text);
    check_output!("../../output/shm_named.txt", &shown);
}

#[test]
fn a_python_process_that_attaches_to_shared_memory_may_remove_it_at_exit() {
    if !have("python3") {
        eprintln!("note: no python3; Python's SharedMemory not checked");
        return;
    }
    let name = format!("/ch07-pyshm-{}", std::process::id());
    let flags = OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR;
    let fd = shm_open(name.as_str(), flags, Mode::S_IRUSR | Mode::S_IWUSR).unwrap();
    nix::unistd::ftruncate(&fd, 4096).unwrap();
    let script = "
import sys
from multiprocessing import shared_memory
if sys.version_info >= (3, 13):
    shm = shared_memory.SharedMemory(name=sys.argv[1], track=False)
else:
    shm = shared_memory.SharedMemory(name=sys.argv[1])
shm.buf[:5] = b'hello'
shm.close()
print(sys.version_info >= (3, 13))
";
    let out = run(Command::new("python3").args(["-c", script, &name[1..]]));
    out.assert_success();
    let tracked = out.stdout_text() == "False\n";
    // Python before 3.13 registers even an attached block with its
    // resource tracker, which unlinks it when Python exits (with a
    // "leaked shared_memory objects" warning). 3.13's track=False does not.
    assert_eq!(shm_exists(&name), !tracked, "{}", out.stderr_text());
    if tracked {
        assert!(
            out.stderr_text().contains("leaked shared_memory"),
            "{}",
            out.stderr_text()
        );
    }
    let _ = shm_unlink(name.as_str());
}

#[test]
fn pythons_value_loses_updates_without_its_lock() {
    if !have("python3") {
        eprintln!("note: no python3; Python's Value not checked");
        return;
    }
    let script = "
import multiprocessing as mp
def bump(v, n):
    for _ in range(n):
        v.value += 1
def bump_locked(v, n):
    for _ in range(n):
        with v.get_lock():
            v.value += 1
if __name__ == '__main__':
    mp.set_start_method('fork')
    for f in (bump, bump_locked):
        v = mp.Value('i', 0)
        ps = [mp.Process(target=f, args=(v, 100000)) for _ in range(4)]
        for p in ps: p.start()
        for p in ps: p.join()
        print(v.value)
";
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    let text = out.stdout_text();
    let values: Vec<u64> = text.lines().map(|line| line.parse().unwrap()).collect();
    assert!(values[0] < 400_000, "no update lost: {text}");
    assert_eq!(values[1], 400_000, "{text}");
}
