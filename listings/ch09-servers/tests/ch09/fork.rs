//! Listings 9-5 and 9-6: one child process per connection, every child reaped.

use echo_suite::process::{self, Stat};
use echo_suite::{PROMPT, Server, round_trip, wait_until};

const ECHO_FORK: &str = env!("CARGO_BIN_EXE_echo_fork");

/// The server's children: every process of its group but itself.
fn children(server: &Server) -> Vec<Stat> {
    let mut group = process::group(server.pid());
    group.retain(|stat| stat.pid != server.pid());
    group
}

#[test]
fn echo_fork_runs_one_child_per_connection() {
    let server = Server::start(ECHO_FORK, &[]);
    let before = process::open_fds(server.pid());
    let clients: Vec<_> = (0..3).map(|_| server.connect()).collect();
    for client in &clients {
        round_trip(client, b"hello", PROMPT).unwrap();
    }
    assert!(
        wait_until(PROMPT, || children(&server).len() == 3),
        "three clients, three children: {:?}",
        children(&server)
    );
    // The children hold the connections; the parent closes its copies (a
    // child may answer before the parent has run again after fork: wait).
    assert!(
        wait_until(PROMPT, || process::open_fds(server.pid()) == before),
        "the parent keeps a descriptor for a connection a child serves: {} open, {before} before",
        process::open_fds(server.pid())
    );
    drop(clients);
    assert!(wait_until(PROMPT, || children(&server).is_empty()));
    assert_eq!(process::open_fds(server.pid()), before);
}

#[test]
fn echo_fork_reaps_every_child_so_no_zombie_remains() {
    let server = Server::start(ECHO_FORK, &[]);
    // Fifty clients, some at the same time, so that exits coincide and one
    // SIGCHLD stands for several children.
    for _ in 0..5 {
        let clients: Vec<_> = (0..10).map(|_| server.connect()).collect();
        for client in &clients {
            round_trip(client, b"bye", PROMPT).unwrap();
        }
    }
    let reaped = wait_until(PROMPT, || children(&server).is_empty());
    let zombies: Vec<_> = children(&server)
        .into_iter()
        .filter(|stat| stat.state == 'Z')
        .collect();
    assert!(
        reaped,
        "children left behind, zombies among them: {zombies:?}"
    );
    assert_eq!(server.stderr_text(), "", "no errors");
}
