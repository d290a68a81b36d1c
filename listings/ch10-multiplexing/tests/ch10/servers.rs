//! What sets the chapter's servers apart, beyond the shared suite.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;

use echo_suite::process::{self, raise_nofile, start_with_nofile};
use echo_suite::{PROMPT, Server, round_trip, wait_until};

const ECHO_SELECT: &str = env!("CARGO_BIN_EXE_echo_select");

#[test]
fn echo_select_refuses_descriptors_at_or_above_fd_setsize_and_serves_the_rest() {
    const CLIENTS: usize = 1_100;
    // The server may open 2,048 descriptors, so accept hands it numbers
    // above 1,023; this test needs 1,100 of its own.
    raise_nofile(CLIENTS as u64 + 100).expect("RLIMIT_NOFILE");
    let server = start_with_nofile(ECHO_SELECT, &[], 2048);
    let clients: Vec<TcpStream> = (0..CLIENTS)
        .map(|n| {
            let stream = server.connect();
            (&stream).write_all(&[n as u8]).unwrap();
            stream
        })
        .collect();
    let (mut echoed, mut refused) = (0, 0);
    for (n, stream) in clients.iter().enumerate() {
        stream.set_read_timeout(Some(PROMPT)).unwrap();
        let mut byte = [0u8];
        match (&*stream).read(&mut byte) {
            Ok(1) => {
                assert_eq!(byte[0], n as u8, "client {n} got another's byte");
                echoed += 1;
            }
            Ok(_) => refused += 1, // closed: end of stream
            Err(err) if err.kind() == ErrorKind::ConnectionReset => refused += 1,
            Err(err) => panic!("client {n}: neither echoed nor refused: {err}"),
        }
    }
    // Descriptors 0-2 and the listener are taken: 1,020 fit below 1,024.
    assert!(
        (1_000..=1_020).contains(&echoed),
        "{echoed} echoed, {refused} refused"
    );
    assert_eq!(echoed + refused, CLIENTS);
    // Standard error is collected by another thread: wait for the line.
    let said = wait_until(PROMPT, || {
        server
            .stderr_text()
            .contains("is not below FD_SETSIZE (1024): connection refused")
    });
    assert!(said, "no refusal message: {}", server.stderr_text());
    // The server lives on (inserting descriptor 1,024 into an FdSet would
    // have made it panic) and serves once descriptors are free again
    // (until it has closed its side of the old connections, a newcomer
    // would get a descriptor above 1,023, and be refused too).
    drop(clients);
    let pid = server.pid();
    assert!(
        wait_until(PROMPT, || process::open_fds(pid) < 100),
        "echo_select still has {} descriptors open after its clients left",
        process::open_fds(pid)
    );
    let next = TcpStream::connect(server.addr()).unwrap_or_else(|err| {
        panic!(
            "echo_select no longer accepts ({err}); its standard error:\n{}",
            server.stderr_text()
        )
    });
    round_trip(&next, b"still there?", PROMPT).unwrap();
}

#[test]
fn echo_poll_prints_where_it_listens() {
    let server = Server::start(env!("CARGO_BIN_EXE_echo_poll"), &[]);
    let port = server.addr().port();
    let out = server.stop();
    let shown = harness::Normalizer::new()
        .port(port, "7878")
        .apply(&out.stdout_text());
    harness::check_output!("../../output/echo_poll.txt", &shown);
}

#[test]
fn every_event_driven_server_runs_one_thread_for_many_clients() {
    for bin in [
        env!("CARGO_BIN_EXE_echo_nonblocking"),
        ECHO_SELECT,
        env!("CARGO_BIN_EXE_echo_poll"),
        env!("CARGO_BIN_EXE_echo_epoll"),
        env!("CARGO_BIN_EXE_echo_epoll_et"),
        env!("CARGO_BIN_EXE_echo_mio"),
    ] {
        let server = Server::start(bin, &[]);
        let clients: Vec<_> = (0..20).map(|_| server.connect()).collect();
        for client in &clients {
            round_trip(client, b"hello", PROMPT).unwrap_or_else(|why| panic!("{bin}: {why}"));
        }
        assert_eq!(process::threads(server.pid()), 1, "{bin}");
    }
}

#[test]
fn echo_nonblocking_naps_when_idle_instead_of_spinning() {
    let server = Server::start(env!("CARGO_BIN_EXE_echo_nonblocking"), &[]);
    let _idle: Vec<_> = (0..10).map(|_| server.connect()).collect();
    let client = server.connect();
    round_trip(&client, b"hello", PROMPT).unwrap();
    process::assert_not_spinning(server.pid(), || "echo_nonblocking, idle".to_owned());
}
