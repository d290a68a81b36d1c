//! Deadlock: shown with a watchdog so that the listing ends, then fixed by
//! taking the locks in one order.

use std::time::{Duration, Instant};

use harness::{check_output, run};

use crate::listing;

#[test]
fn locks_taken_in_opposite_orders_deadlock_and_the_watchdog_says_so() {
    // A patience of 0.2 s rather than the default 2 s: the barrier makes
    // the deadlock certain, so the watchdog's verdict does not depend on it.
    let patience = Duration::from_millis(200);
    let start = Instant::now();
    let out = run(listing(env!("CARGO_BIN_EXE_deadlock")).arg("0.2"));
    // The watchdog waited its patience out, and not much longer (the bound
    // leaves room for a loaded machine).
    let took = start.elapsed();
    assert!(took >= patience, "gave up after {took:?}");
    assert!(
        took < patience + Duration::from_millis(1500),
        "gave up after {took:?}"
    );
    assert_eq!(out.code(), Some(1), "{out}");
    let text = out.stdout_text();
    // Neither thread finished, and both locks were still held when the
    // watchdog looked: each thread holds one and waits for the other.
    assert_eq!(
        text,
        "after 200ms, finished: []\na is held: true, b is held: true\n"
    );
    let stderr = out.stderr_text();
    assert_eq!(stderr, "deadlock: each thread waits for the other's lock\n");
    // What a terminal shows: the report, then the message on stderr; with
    // the default patience, the report begins "after 2s".
    let text = text.replace("after 200ms,", "after 2s,");
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

#[test]
fn deadlock_refuses_a_patience_that_is_not_a_positive_number() {
    for secs in ["0", "-1", "soon"] {
        let out = run(listing(env!("CARGO_BIN_EXE_deadlock")).arg(secs));
        assert_eq!(out.code(), Some(2), "{out}");
        assert_eq!(
            out.stderr_text(),
            "usage: deadlock [--ordered] [SECONDS]\n"
        );
    }
}
