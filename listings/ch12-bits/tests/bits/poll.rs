//! Listing 12-7: poll(2) and epoll(7) event bits, with real events.

use harness::check_output;
use nix::poll::PollFlags;
use nix::sys::epoll::EpollFlags;

use crate::bin;
use crate::common::{Job, python_lines, stdout_of};

const POLL_NAMES: [&str; 6] = [
    "POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL",
];

const EPOLL_NAMES: [&str; 9] = [
    "EPOLLIN",
    "EPOLLPRI",
    "EPOLLOUT",
    "EPOLLERR",
    "EPOLLHUP",
    "EPOLLRDHUP",
    "EPOLLEXCLUSIVE",
    "EPOLLONESHOT",
    "EPOLLET",
];

pub fn python_jobs() -> Vec<Job> {
    let values = "import select, sys\nfor name in sys.argv[1:]:\n    print(getattr(select, name))";
    vec![
        Job::code("select.POLL*", values, &POLL_NAMES),
        Job::code("select.EPOLL*", values, &EPOLL_NAMES),
    ]
}

#[test]
fn poll_flags_output_matches_the_book() {
    check_output!(
        "../../output/poll_flags.txt",
        &stdout_of(bin!("poll_flags"), &[])
    );
}

#[test]
fn poll_values_are_pythons_select_constants() {
    let python = python_lines("select.POLL*");
    assert_eq!(python, ["1", "2", "4", "8", "16", "32"]);
    let ours = [
        PollFlags::POLLIN,
        PollFlags::POLLPRI,
        PollFlags::POLLOUT,
        PollFlags::POLLERR,
        PollFlags::POLLHUP,
        PollFlags::POLLNVAL,
    ]
    .map(|flag| flag.bits().to_string());
    assert_eq!(python, ours);
    // The listing prints the same numbers.
    let text = stdout_of(bin!("poll_flags"), &[]);
    for (name, value) in POLL_NAMES.iter().zip(&ours) {
        assert!(text.contains(&format!("{name:<8} {value:>2} = ")), "{name}");
    }
}

#[test]
fn epoll_values_are_pythons_select_constants() {
    // In the order of EPOLL_NAMES.
    let flags = [
        EpollFlags::EPOLLIN,
        EpollFlags::EPOLLPRI,
        EpollFlags::EPOLLOUT,
        EpollFlags::EPOLLERR,
        EpollFlags::EPOLLHUP,
        EpollFlags::EPOLLRDHUP,
        EpollFlags::EPOLLEXCLUSIVE,
        EpollFlags::EPOLLONESHOT,
        EpollFlags::EPOLLET,
    ];
    let python = python_lines("select.EPOLL*");
    // Python's ints have no sign bit to fall into: EPOLLET is positive
    // there, and the same 32 bits as a u32 here.
    let ours: Vec<String> = flags
        .iter()
        .map(|flag| (flag.bits() as u32).to_string())
        .collect();
    assert_eq!(python, ours);
    assert_eq!(python.last().unwrap(), "2147483648");
    assert_eq!(EpollFlags::EPOLLET.bits(), i32::MIN);
}
