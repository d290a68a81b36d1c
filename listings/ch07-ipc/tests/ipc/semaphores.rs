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
fn pythons_semaphore_is_named_and_unlinked_at_once_only_with_fork() {
    if !have("python3") {
        eprintln!("note: no python3; Python's Semaphore not checked");
        return;
    }
    // sem_open(3) makes /dev/shm/sem.NAME. With the fork start method
    // CPython unlinks it right away and keeps no name; with spawn (and
    // forkserver, Linux's default from 3.14) the children open it by
    // name, so the file stays until the program ends.
    let script = "
import multiprocessing as mp, os
s = mp.get_context('fork').Semaphore(2)
s.acquire()
print(s.get_value(), s._semlock.name)
t = mp.get_context('spawn').Semaphore(2)
name = t._semlock.name
print(name, os.path.exists('/dev/shm/sem.' + name[1:]))
";
    let out = harness::run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    let text = out.stdout_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "1 None", "{text}");
    let (name, exists) = lines[1].split_once(' ').unwrap();
    assert!(name.starts_with("/mp-") && exists == "True", "{text}");
    // A finaliser removed it when Python exited.
    let file = format!("/dev/shm/sem.{}", &name[1..]);
    assert!(!std::path::Path::new(&file).exists(), "{file} left behind");
}
