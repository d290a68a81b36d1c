//! Listing 12-7: poll(2) and epoll(7) event bits, with real events.

use harness::check_output;
use nix::poll::PollFlags;
use nix::sys::epoll::EpollFlags;

use crate::bin;
use crate::common::{python_eval, stdout_of};

#[test]
fn poll_flags_output_matches_the_book() {
    check_output!(
        "../../output/poll_flags.txt",
        &stdout_of(bin!("poll_flags"), &[])
    );
}

#[test]
fn poll_values_are_pythons_select_constants() {
    let names = [
        "POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL",
    ];
    let expressions: Vec<String> = names.iter().map(|n| format!("select.{n}")).collect();
    let expressions: Vec<&str> = expressions.iter().map(String::as_str).collect();
    let python = python_eval("import select", &expressions);
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
    for (name, value) in names.iter().zip(&ours) {
        assert!(text.contains(&format!("{name:<8} {value:>2} = ")), "{name}");
    }
}

#[test]
fn epoll_values_are_pythons_select_constants() {
    let flags = [
        ("EPOLLIN", EpollFlags::EPOLLIN),
        ("EPOLLPRI", EpollFlags::EPOLLPRI),
        ("EPOLLOUT", EpollFlags::EPOLLOUT),
        ("EPOLLERR", EpollFlags::EPOLLERR),
        ("EPOLLHUP", EpollFlags::EPOLLHUP),
        ("EPOLLRDHUP", EpollFlags::EPOLLRDHUP),
        ("EPOLLEXCLUSIVE", EpollFlags::EPOLLEXCLUSIVE),
        ("EPOLLONESHOT", EpollFlags::EPOLLONESHOT),
        ("EPOLLET", EpollFlags::EPOLLET),
    ];
    let expressions: Vec<String> = flags.iter().map(|(n, _)| format!("select.{n}")).collect();
    let expressions: Vec<&str> = expressions.iter().map(String::as_str).collect();
    let python = python_eval("import select", &expressions);
    // Python's ints have no sign bit to fall into: EPOLLET is positive
    // there, and the same 32 bits as a u32 here.
    let ours: Vec<String> = flags
        .iter()
        .map(|(_, flag)| (flag.bits() as u32).to_string())
        .collect();
    assert_eq!(python, ours);
    assert_eq!(python.last().unwrap(), "2147483648");
    assert_eq!(EpollFlags::EPOLLET.bits(), i32::MIN);
}
