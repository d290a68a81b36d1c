//! The chapter's small listings: what they print, and the facts the page
//! states about them.

use std::process::Command;

use harness::{Normalizer, check_output, run};

fn output(bin: &str) -> String {
    let out = run(&mut Command::new(bin));
    out.assert_success();
    out.stdout_text()
}

#[test]
fn accept_read_and_sleep_block_but_a_regular_file_is_always_ready() {
    let text = output(env!("CARGO_BIN_EXE_blocking"));
    check_output!("../../output/blocking.txt", &text);
}

#[test]
fn a_busy_loop_burns_cpu_that_a_blocking_read_does_not() {
    let text = output(env!("CARGO_BIN_EXE_nonblocking_spin"));
    let cpu = |prefix: &str| -> u64 {
        let line = text.lines().find(|l| l.starts_with(prefix)).unwrap();
        let used = line.split("used").nth(1).unwrap();
        used.split_whitespace().next().unwrap().parse().unwrap()
    };
    // Not a timing claim: a blocking read sleeps in the kernel, the loop
    // retries for as long as the scheduler lets it.
    assert!(
        cpu("blocking") < cpu("non-blocking"),
        "the busy loop used less CPU than the blocking read:\n{text}"
    );
    let reads: u64 = text
        .split(" ms of CPU, ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(reads > 1000, "the loop read only {reads} times:\n{text}");
    // The figures of a run on the book's machine, as the page shows them.
    let shown = Normalizer::new()
        .replace(
            r"blocking read: .*",
            "blocking read:     waited 200 ms, used   0 ms of CPU",
        )
        .replace(
            r"non-blocking loop: .*",
            "non-blocking loop: waited 200 ms, used 198 ms of CPU, 1162513 reads",
        )
        .apply(&text);
    check_output!("../../output/nonblocking_spin.txt", &shown);
}

#[test]
fn timeouts_give_wouldblock_and_timedout_and_yield_to_nonblocking_mode() {
    let text = output(env!("CARGO_BIN_EXE_timeouts"));
    let shown = Normalizer::new()
        .replace(r"took \d+ KiB", "took 4144 KiB")
        .apply(&text);
    check_output!("../../output/timeouts.txt", &shown);
}

#[test]
fn select_reports_urgent_data_in_the_exceptional_set() {
    let text = output(env!("CARGO_BIN_EXE_select_sets"));
    check_output!("../../output/select_sets.txt", &text);
}

#[test]
fn poll_constants_have_the_values_libc_gives_them() {
    let text = output(env!("CARGO_BIN_EXE_poll_events"));
    let expected = [
        ("POLLIN", libc::POLLIN),
        ("POLLPRI", libc::POLLPRI),
        ("POLLOUT", libc::POLLOUT),
        ("POLLERR", libc::POLLERR),
        ("POLLHUP", libc::POLLHUP),
        ("POLLNVAL", libc::POLLNVAL),
        ("POLLRDNORM", libc::POLLRDNORM),
        ("POLLRDBAND", libc::POLLRDBAND),
        ("POLLWRNORM", libc::POLLWRNORM),
        ("POLLWRBAND", libc::POLLWRBAND),
        ("POLLRDHUP", libc::POLLRDHUP),
    ];
    for (name, value) in expected {
        let line = text
            .lines()
            .find(|line| line.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{text}"));
        let shown: i16 = line.split_whitespace().nth(2).unwrap().parse().unwrap();
        assert_eq!(shown, value, "{name}");
    }
    // The notes' list: 1 POLLIN, 4 POLLOUT, 8 POLLERR, 16 POLLHUP.
    assert_eq!(
        (libc::POLLIN, libc::POLLPRI, libc::POLLOUT),
        (1, 2, 4),
        "POLLPRI (2) sits between POLLIN and POLLOUT"
    );
    assert_eq!((libc::POLLERR, libc::POLLHUP, libc::POLLNVAL), (8, 16, 32));
    check_output!("../../output/poll_events.txt", &text);
}

#[test]
fn level_triggered_keeps_reporting_and_edge_triggered_reports_once() {
    let text = output(env!("CARGO_BIN_EXE_epoll_triggers"));
    // The hang: edge-triggered, 6 bytes sit unread and no event comes
    // within the 100 ms deadline of epoll_wait.
    let edge = text.split("edge-triggered:").nth(1).unwrap();
    assert!(
        edge.contains("no event within 100 ms, 6 bytes unread"),
        "{text}"
    );
    check_output!("../../output/epoll_triggers.txt", &text);
}

#[test]
fn rdhup_marks_a_fin_and_oneshot_disarms_until_modified() {
    let text = output(env!("CARGO_BIN_EXE_epoll_flags"));
    check_output!("../../output/epoll_flags.txt", &text);
}

#[test]
fn a_mio_waker_wakes_the_poll_from_another_thread() {
    let text = output(env!("CARGO_BIN_EXE_mio_waker"));
    check_output!("../../output/mio_waker.txt", &text);
}
