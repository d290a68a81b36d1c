//! Semaphores: admission tickets shared by processes.

use std::process::Command;

use harness::check_output;

use crate::bin;
use crate::common::{assert_nothing_left, have, run_forking};

#[test]
fn two_tickets_let_at_most_two_of_five_workers_in_at_once() {
    let (out, pid) = run_forking(&mut Command::new(bin!("semaphore")));
    out.assert_success();
    let text = out.stdout_text();
    assert_eq!(
        text,
        "5 workers, 2 tickets\n\
         2 workers inside, tickets left: 0\n\
         nobody else got in within 300 ms\n\
         all served; at most 2 inside at once; tickets left: 2\n"
    );
    assert_nothing_left(pid);
    check_output!("../../output/semaphore.txt", &text);
}

#[test]
fn pythons_semaphore_is_a_named_posix_semaphore_unlinked_at_once() {
    if !have("python3") || !have("strace") {
        eprintln!("note: no python3 or strace; Python's Semaphore not checked");
        return;
    }
    let script =
        "import multiprocessing as mp; s = mp.Semaphore(2); s.acquire(); print(s.get_value())";
    let out = harness::run(Command::new("strace").args([
        "-f",
        "-e",
        "trace=openat,unlink",
        "python3",
        "-c",
        script,
    ]));
    if !out.status.success() && out.stderr_text().contains("ptrace") {
        eprintln!("note: strace is not allowed here; Python's Semaphore not checked");
        return;
    }
    out.assert_success();
    assert_eq!(out.stdout_text(), "1\n");
    // sem_open(3) makes /dev/shm/sem.NAME; Python unlinks it right away,
    // so that nothing is left if the program dies.
    let trace = out.stderr_text();
    let made = trace
        .lines()
        .filter(|line| line.contains("/dev/shm/sem.") && line.contains("O_CREAT"))
        .count();
    let unlinked = trace
        .lines()
        .filter(|line| line.contains("unlink(\"/dev/shm/sem.mp-"))
        .count();
    assert!(made >= 1 && unlinked >= 1, "{trace}");
}
