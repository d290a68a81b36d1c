//! Exercise 14.1: Private messages
//! Edit: exercises/ch14-chat/src/bin/chat_private.rs
//! Hint: `line.strip_prefix("/msg ")` then `split_once(' ')` gives the name and the text; in `whisper`, look the name up under the lock and `try_send` to that member alone, cutting it off if its queue is full.

use harness::{Server, exercise_bin};

use super::Chatter;

fn room() -> (Server, Chatter, Chatter, Chatter) {
    let server = Server::start(exercise_bin!("chat_private"), &[]);
    let mut alice = Chatter::join(server.addr(), "alice");
    let mut bob = Chatter::join(server.addr(), "bob");
    alice.expect("* bob joined");
    let carol = Chatter::join(server.addr(), "carol");
    alice.expect("* carol joined");
    bob.expect("* carol joined");
    (server, alice, bob, carol)
}

#[test]
fn a_private_message_reaches_its_addressee_only() {
    let (_server, mut alice, mut bob, mut carol) = room();
    alice.send("/msg bob meet me at 5, 五点");
    bob.expect("alice (private): meet me at 5, 五点");
    // Neither carol nor alice got it: the next line each gets is /who's.
    carol.send("/who");
    carol.expect("* online: alice, bob, carol");
    alice.send("/who");
    alice.expect("* online: alice, bob, carol");
    // Ordinary messages still go to everyone else.
    bob.send("ok");
    alice.expect("bob: ok");
    carol.expect("bob: ok");
}

#[test]
fn a_private_message_to_nobody_is_an_error() {
    let (_server, mut alice, mut bob, _carol) = room();
    alice.send("/msg dave hello?");
    alice.expect("* error: no such name");
    alice.send("/msg bob still here");
    bob.expect("alice (private): still here");
}

#[test]
fn msg_without_a_name_and_a_text_is_a_usage_error() {
    let (_server, mut alice, mut bob, _carol) = room();
    for wrong in ["/msg", "/msg bob", "/msg  hi"] {
        alice.send(wrong);
        alice.expect("* error: usage: /msg NAME TEXT");
    }
    alice.send("/msg bob two  spaces kept");
    bob.expect("alice (private): two  spaces kept");
}
