//! The protocol, line by line, against both servers: the same tests run
//! against `chat_threads` and `chat_server`.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use harness::{ChildGuard, DEADLINE, Server};
use socket2::{Domain, SockRef, Socket, Type};

use super::{Chatter, open_fds, thread_count, wait_until};

// ANCHOR: macro
/// Expands to a module `$name` with one `#[test]` per behaviour, each run
/// against the server binary `$bin`.
macro_rules! chat_room_tests {
    ($name:ident, $bin:expr) => {
        mod $name {
            #[test]
            fn welcomes_relays_lists_and_says_goodbye() {
                super::welcomes_relays_lists_and_says_goodbye($bin);
            }
            #[test]
            fn serves_lines_sent_with_the_name_and_answers_before_closing() {
                super::serves_lines_sent_with_the_name($bin);
            }
            #[test]
            fn refuses_bad_and_taken_names_and_lets_the_client_retry() {
                super::refuses_bad_and_taken_names($bin);
            }
            #[test]
            fn answers_a_line_over_1024_bytes_with_an_error_and_stays() {
                super::answers_long_lines_with_an_error($bin);
            }
            #[test]
            fn carries_multibyte_utf8_and_refuses_invalid_utf8() {
                super::carries_utf8_and_refuses_invalid_utf8($bin);
            }
            #[test]
            fn delivers_100_clients_x_20_messages_once_each_in_order() {
                super::delivers_every_message_once_in_order($bin);
            }
            #[test]
            fn cuts_off_a_client_that_stops_reading_and_keeps_chatting() {
                super::cuts_off_a_slow_client($bin);
            }
            #[test]
            fn announces_resets_and_half_lines_and_leaks_no_descriptor_or_thread() {
                super::announces_abrupt_disconnects($bin);
            }
            #[test]
            fn relays_the_administrator_and_outlives_its_stdin() {
                super::relays_the_administrator($bin);
            }
        }
    };
}

chat_room_tests!(chat_threads, crate::CHAT_THREADS);
chat_room_tests!(chat_server, crate::CHAT_SERVER);
// ANCHOR_END: macro

fn welcomes_relays_lists_and_says_goodbye(bin: &str) {
    let server = Server::start(bin, &[]);
    let mut alice = Chatter::join(server.addr(), "alice");
    let mut bob = Chatter::join(server.addr(), "bob");
    alice.expect("* bob joined");
    alice.send("hello, bob");
    bob.expect("alice: hello, bob");
    // No echo: the next line alice gets is the answer to /who.
    alice.send("/who");
    alice.expect("* online: alice, bob");
    bob.send("/quit");
    bob.expect("* bye");
    assert!(bob.expect_closed().is_empty(), "nothing after the bye");
    alice.expect("* bob left");
    alice.send("/who");
    alice.expect("* online: alice");
}

fn serves_lines_sent_with_the_name(bin: &str) {
    let server = Server::start(bin, &[]);
    let mut alice = Chatter::join(server.addr(), "alice");
    // A name, a message and the end of input, in one segment: one read
    // may bring them all, and each must still be served.
    let mut carol = Chatter::connect(server.addr());
    carol.send_bytes(b"carol\nfirst words\n");
    carol.stream.shutdown(Shutdown::Write).unwrap();
    alice.expect("* carol joined");
    alice.expect("carol: first words");
    alice.expect("* carol left");
    // What was queued for carol reaches her before the server closes.
    carol.expect("* welcome carol");
    assert!(carol.expect_closed().is_empty());
}

fn refuses_bad_and_taken_names(bin: &str) {
    let server = Server::start(bin, &[]);
    let _alice = Chatter::join(server.addr(), "alice");
    let mut other = Chatter::connect(server.addr());
    let thirty_three = "x".repeat(33);
    for bad in [
        "",
        "two words",
        "tab\there",
        "bell\x07",
        "/who",
        &thirty_three,
    ] {
        other.send(bad);
        other.expect("* error: bad name");
    }
    other.send("alice");
    other.expect("* error: name taken");
    // 32 characters are fine, even at 3 bytes each.
    let name = "名".repeat(32);
    other.send(&name);
    other.expect(&format!("* welcome {name}"));
}

fn answers_long_lines_with_an_error(bin: &str) {
    let server = Server::start(bin, &[]);
    let mut alice = Chatter::join(server.addr(), "alice");
    let mut bob = Chatter::join(server.addr(), "bob");
    alice.expect("* bob joined");
    // The name line has the same limit.
    let mut carol = Chatter::connect(server.addr());
    carol.send(&"c".repeat(1025));
    carol.expect("* error: line too long");

    let longest = "a".repeat(1024);
    alice.send(&longest);
    bob.expect(&format!("alice: {longest}"));
    alice.send(&"b".repeat(1025));
    alice.expect("* error: line too long");
    // A megabyte without a newline gets one error, at once, and the
    // server holds none of it.
    alice.send_bytes(&vec![b'c'; 1 << 20]);
    alice.expect("* error: line too long");
    alice.send(" and the rest of that line is dropped");
    alice.send("still here");
    bob.expect("alice: still here");
    alice.send("/who");
    alice.expect("* online: alice, bob");
}

fn carries_utf8_and_refuses_invalid_utf8(bin: &str) {
    let server = Server::start(bin, &[]);
    let mut zhang = Chatter::connect(server.addr());
    zhang.send_bytes(b"\xe5\xbc\xa0\xff\n");
    zhang.expect("* error: invalid UTF-8");
    zhang.send("张三");
    zhang.expect("* welcome 张三");
    let mut olga = Chatter::join(server.addr(), "Ольга");
    zhang.expect("* Ольга joined");
    zhang.send("你好, мир 👋");
    olga.expect("张三: 你好, мир 👋");
    // A character cut in half is not UTF-8.
    olga.send_bytes(b"caf\xc3\n");
    olga.expect("* error: invalid UTF-8");
    olga.send("café");
    zhang.expect("Ольга: café");
}

fn delivers_every_message_once_in_order(bin: &str) {
    const CLIENTS: usize = 100;
    const MESSAGES: usize = 20;
    let server = Server::start(bin, &[]);
    // Join one at a time: when the last welcome arrives, all are in.
    let chatters: Vec<Chatter> = (0..CLIENTS)
        .map(|i| Chatter::join(server.addr(), &format!("c{i}")))
        .collect();
    let threads: Vec<_> = chatters
        .into_iter()
        .enumerate()
        .map(|(me, mut chatter)| {
            thread::spawn(move || {
                // Everyone joined after `me` is announced first.
                for later in me + 1..CLIENTS {
                    chatter.expect(&format!("* c{later} joined"));
                }
                // received[sender] = how many of its messages arrived.
                let mut received = vec![0; CLIENTS];
                for round in 0..MESSAGES {
                    chatter.send(&format!("{round}"));
                    // A polite client: it sends its next message once it
                    // has this round's from everyone, so no queue ever
                    // holds more than two rounds (198 lines < QUEUE).
                    while (0..CLIENTS).any(|c| c != me && received[c] <= round) {
                        let line = chatter.line();
                        let (name, text) = line.split_once(": ").expect("a message");
                        let sender: usize = name[1..].parse().unwrap();
                        let seq: usize = text.parse().unwrap();
                        assert_ne!(sender, me, "c{me} got its own message back");
                        assert_eq!(
                            seq, received[sender],
                            "c{me}: message {seq} of c{sender} when {} was due",
                            received[sender]
                        );
                        received[sender] += 1;
                    }
                }
                chatter
            })
        })
        .collect();
    let mut chatters: Vec<Chatter> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    // Nothing more is on its way: a /who answer comes next for everyone.
    let everyone = {
        let mut names: Vec<String> = (0..CLIENTS).map(|i| format!("c{i}")).collect();
        names.sort();
        format!("* online: {}", names.join(", "))
    };
    for chatter in &mut chatters {
        chatter.send("/who");
        chatter.expect(&everyone);
    }
}

fn cuts_off_a_slow_client(bin: &str) {
    let server = Server::start(bin, &[]);
    let addr = server.addr();
    let mut talker = Chatter::join(addr, "talker");
    let mut listener = Chatter::join(addr, "listener");
    talker.expect("* listener joined");
    // A small receive buffer, so that the room fills it sooner.
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(&addr.into()).unwrap();
    let mut slow = Chatter::from_stream(TcpStream::from(socket));
    slow.send("slow");
    slow.expect("* welcome slow");
    talker.expect("* slow joined");
    listener.expect("* slow joined");
    // From now on `slow` reads nothing.

    // The listener reports each line it gets, and when `slow` left. The
    // talker keeps within 64 lines of the listener: a reader slower than
    // the talker by a whole queue would be cut off too, rightly.
    let (events, heard) = mpsc::channel();
    let reading = thread::spawn(move || {
        let mut count = 0;
        loop {
            let line = listener.line();
            if line == "* slow left" {
                events.send(None).unwrap();
                continue;
            }
            if line == "talker: done" {
                return (listener, count);
            }
            assert_eq!(line, format!("talker: {count:04} {}", "x".repeat(1000)));
            count += 1;
            let _ = events.send(Some(count));
        }
    });
    let (mut sent, mut acked, mut slow_left) = (0, 0, false);
    while !slow_left {
        assert!(sent < 100_000, "slow was never cut off");
        talker.send(&format!("{sent:04} {}", "x".repeat(1000)));
        sent += 1;
        loop {
            let event = if sent - acked >= 64 {
                heard
                    .recv_timeout(DEADLINE)
                    .expect("the listener hears the talker")
            } else {
                match heard.try_recv() {
                    Ok(event) => event,
                    Err(_) => break,
                }
            };
            match event {
                Some(count) => acked = count,
                None => slow_left = true,
            }
        }
    }
    talker.send("done");
    let (mut listener, count) = reading.join().unwrap();
    assert_eq!(
        count, sent,
        "the listener missed none of the talker's lines"
    );
    talker.expect("* slow left");
    talker.send("/who");
    talker.expect("* online: listener, talker");
    listener.send("still chatting");
    talker.expect("listener: still chatting");
    // The server closed the slow client's connection.
    slow.expect_closed();
}

fn announces_abrupt_disconnects(bin: &str) {
    let server = Server::start(bin, &[]);
    let mut alice = Chatter::join(server.addr(), "alice");
    alice.send("/who");
    alice.expect("* online: alice");
    let baseline = open_fds(server.pid());
    let threads = thread_count(server.pid());
    for round in 0..10 {
        // A reset: SO_LINGER with a zero timeout makes close send RST.
        let reset = Chatter::join(server.addr(), "reset");
        alice.expect("* reset joined");
        SockRef::from(&reset.stream)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(reset);
        alice.expect("* reset left");
        // Half a line, then gone: the half line goes nowhere.
        let mut half = Chatter::join(server.addr(), "half");
        alice.expect("* half joined");
        half.send_bytes(format!("unfinished {round}").as_bytes());
        drop(half);
        alice.expect("* half left");
        // Gone before even naming itself.
        let mut shy = Chatter::connect(server.addr());
        shy.send_bytes(b"sh");
    }
    alice.send("/who");
    alice.expect("* online: alice");
    let pid = server.pid();
    assert!(
        wait_until(DEADLINE, || open_fds(pid) <= baseline),
        "the server holds {} descriptors, {baseline} before the clients came",
        open_fds(pid)
    );
    assert!(
        wait_until(DEADLINE, || thread_count(pid) <= threads),
        "the server runs {} threads, {threads} before the clients came",
        thread_count(pid)
    );
}

fn relays_the_administrator(bin: &str) {
    let mut guard = ChildGuard::spawn(
        Command::new(bin)
            .arg("127.0.0.1:0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped()),
    )
    .unwrap();
    let mut admin = guard.child_mut().stdin.take().unwrap();
    let stdout = guard.child_mut().stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let first = lines.recv_timeout(DEADLINE).expect("listening on <addr>");
    let addr: SocketAddr = first
        .strip_prefix("listening on ")
        .unwrap()
        .parse()
        .unwrap();

    let mut alice = Chatter::join(addr, "alice");
    let mut bob = Chatter::join(addr, "bob");
    alice.expect("* bob joined");
    admin
        .write_all("back in 5 minutes, 五分钟\n".as_bytes())
        .unwrap();
    alice.expect("* admin: back in 5 minutes, 五分钟");
    bob.expect("* admin: back in 5 minutes, 五分钟");
    // The administrator goes away; the room goes on.
    drop(admin);
    let mut carol = Chatter::join(addr, "carol");
    carol.send("hi");
    alice.expect("* carol joined");
    alice.expect("carol: hi");
    bob.expect("* carol joined");
    bob.expect("carol: hi");
    assert!(
        guard.wait_timeout(Duration::ZERO).unwrap().is_none(),
        "the server is still running"
    );
}

#[test]
fn both_servers_print_where_they_listen() {
    for (bin, shown) in [
        (crate::CHAT_THREADS, "../../output/chat_threads.txt"),
        (crate::CHAT_SERVER, "../../output/chat_server.txt"),
    ] {
        let server = Server::start(bin, &[]);
        let port = server.addr().port();
        let out = server.stop();
        let text = harness::Normalizer::new()
            .port(port, "7878")
            .apply(&out.stdout_text());
        harness::check_output!(shown, &text);
    }
}
