//! Deadlock: shown with a watchdog so that the listing ends, then fixed by
//! taking the locks in one order.

use harness::{check_output, run};

use crate::listing;

#[test]
fn locks_taken_in_opposite_orders_deadlock_and_the_watchdog_says_so() {
    let out = run(&mut listing(env!("CARGO_BIN_EXE_deadlock")));
    assert_eq!(out.code(), Some(1), "{out}");
    let text = out.stdout_text();
    // Neither thread finished, and both locks were still held when the
    // watchdog looked: each thread holds one and waits for the other.
    assert_eq!(
        text,
        "after 2s, finished: []\na is held: true, b is held: true\n"
    );
    let stderr = out.stderr_text();
    assert_eq!(stderr, "deadlock: each thread waits for the other's lock\n");
    // What a terminal shows: the report, then the message on stderr.
    check_output!("../../output/deadlock.txt", &format!("{text}{stderr}"));
}

#[test]
fn locks_taken_in_one_order_never_deadlock() {
    let out = run(listing(env!("CARGO_BIN_EXE_deadlock")).arg("--ordered"));
    out.assert_success();
    let text = out.stdout_text();
    assert_eq!(
        text,
        "finished [\"left\", \"right\"]; a = 20000, b = 20000\n"
    );
    check_output!("../../output/deadlock_ordered.txt", &text);
}
