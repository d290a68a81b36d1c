//! Exercise 14.2: An access log
//! Edit: exercises/ch14-chat/src/bin/chat_log.rs
//! Hint: `stream.peer_addr()` is the client's address; log the join right after `room.join` succeeds, and the leave where the reader thread ends (after `/quit`, and after the loop), so each leave is logged once however it happened.

use std::net::Shutdown;

use harness::{Server, exercise_bin};

use super::{Chatter, PROMPT};

fn server() -> Server {
    Server::start(exercise_bin!("chat_log"), &[])
}

#[test]
fn logs_each_join_with_the_clients_address() {
    let mut server = server();
    let alice = Chatter::join(server.addr(), "alice");
    let peer = alice.stream.local_addr().unwrap();
    assert_eq!(server.next_line(PROMPT), format!("{peer} joined as alice"));
    // A refused name is not a join.
    let mut other = Chatter::connect(server.addr());
    other.send("alice");
    other.expect("* error: name taken");
    other.send("张三");
    other.expect("* welcome 张三");
    let peer = other.stream.local_addr().unwrap();
    assert_eq!(server.next_line(PROMPT), format!("{peer} joined as 张三"));
}

#[test]
fn logs_each_leave_once_however_it_happens() {
    let mut server = server();
    let mut alice = Chatter::join(server.addr(), "alice");
    let alice_peer = alice.stream.local_addr().unwrap();
    assert_eq!(
        server.next_line(PROMPT),
        format!("{alice_peer} joined as alice")
    );

    let bob = Chatter::join(server.addr(), "bob");
    let bob_peer = bob.stream.local_addr().unwrap();
    assert_eq!(
        server.next_line(PROMPT),
        format!("{bob_peer} joined as bob")
    );
    alice.expect("* bob joined");
    // Bob closes his side.
    bob.stream.shutdown(Shutdown::Write).unwrap();
    alice.expect("* bob left");
    assert_eq!(server.next_line(PROMPT), format!("{bob_peer} bob left"));

    // Alice quits.
    alice.send("/quit");
    alice.expect("* bye");
    assert_eq!(server.next_line(PROMPT), format!("{alice_peer} alice left"));

    // A client that goes before it has a name never joined: no line.
    let mut shy = Chatter::connect(server.addr());
    shy.send("/bad name");
    shy.expect("* error: bad name");
    drop(shy);
    let carol = Chatter::join(server.addr(), "carol");
    let carol_peer = carol.stream.local_addr().unwrap();
    assert_eq!(
        server.next_line(PROMPT),
        format!("{carol_peer} joined as carol")
    );
}
