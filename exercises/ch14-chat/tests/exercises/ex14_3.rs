//! Exercise 14.3: New names in the tokio server
//! Edit: exercises/ch14-chat/src/bin/chat_nick.rs
//! Hint: check the new name with `valid_name`, then, under one lock, refuse it if `members.contains_key(new)`, move the `Member` from the old key to the new one (`remove`, `insert`), and `deliver` the announcement with `from` = `None` so the renamed client gets it too.

use harness::{Server, exercise_bin};

use super::Chatter;

fn room() -> (Server, Chatter, Chatter) {
    let server = Server::start(exercise_bin!("chat_nick"), &[]);
    let mut alice = Chatter::join(server.addr(), "alice");
    let bob = Chatter::join(server.addr(), "bob");
    alice.expect("* bob joined");
    (server, alice, bob)
}

#[test]
fn nick_renames_and_tells_everyone() {
    let (_server, mut alice, mut bob) = room();
    alice.send("/nick 爱丽丝");
    alice.expect("* alice is now 爱丽丝");
    bob.expect("* alice is now 爱丽丝");
    alice.send("hello again");
    bob.expect("爱丽丝: hello again");
    bob.send("/who");
    bob.expect("* online: bob, 爱丽丝");
}

#[test]
fn nick_refuses_bad_and_taken_names() {
    let (_server, mut alice, mut bob) = room();
    alice.send("/nick bob");
    alice.expect("* error: name taken");
    alice.send("/nick two words");
    alice.expect("* error: bad name");
    alice.send("/nick alice");
    alice.expect("* error: name taken");
    // Still alice, and bob saw none of it.
    alice.send("/who");
    alice.expect("* online: alice, bob");
    alice.send("still alice");
    bob.expect("alice: still alice");
}

#[test]
fn the_old_name_is_free_and_leaving_uses_the_new_one() {
    let (server, mut alice, mut bob) = room();
    bob.send("/nick robert");
    bob.expect("* bob is now robert");
    alice.expect("* bob is now robert");
    // Someone else may now take "bob".
    let mut other = Chatter::join(server.addr(), "bob");
    alice.expect("* bob joined");
    bob.expect("* bob joined");
    bob.send("/quit");
    bob.expect("* bye");
    alice.expect("* robert left");
    other.expect("* robert left");
}
