//! Listings 4-1 to 4-3: the echo server (std and nix) and its client.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener};
use std::process::Command;
use std::thread;
use std::time::Duration;

use harness::{DEADLINE, Normalizer, Server, check_output, run};

const ECHO_SERVER: &str = env!("CARGO_BIN_EXE_echo_server");
const ECHO_SERVER_NIX: &str = env!("CARGO_BIN_EXE_echo_server_nix");
const ECHO_CLIENT: &str = env!("CARGO_BIN_EXE_echo_client");

/// Reads one line, with the connection's read timeout as the deadline.
fn reply(reader: &mut impl BufRead) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).expect("a reply line");
    line
}

/// Client ports are ephemeral: show them as one fixed port.
fn normalise_server_log(server_port: u16, text: &str) -> String {
    Normalizer::new()
        .port(server_port, "7878")
        .replace(
            r"127\.0\.0\.1:\d+ (connected|disconnected|dropped)",
            "127.0.0.1:54321 $1",
        )
        .apply(text)
}

#[test]
fn echo_client_prints_what_echo_server_sends_back() {
    let mut server = Server::start(ECHO_SERVER, &[]);
    let port = server.addr().port();
    let addr = server.addr().to_string();
    let out = run(Command::new(ECHO_CLIENT).args([&addr, "hello, 你好"]));
    out.assert_success();
    check_output!("../output/echo_client.txt", &out.stdout_text());
    // The server logs the connection and its end before the next accept.
    assert!(server.next_line(DEADLINE).ends_with(" connected"));
    assert!(server.next_line(DEADLINE).ends_with(" disconnected"));
    let log = server.stop();
    let shown = normalise_server_log(port, &log.stdout_text());
    check_output!("../output/echo_server.txt", &shown);
}

#[test]
fn echo_server_returns_each_line_unchanged() {
    let server = Server::start(ECHO_SERVER, &[]);
    let stream = server.connect();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for line in ["first\n", "\n", "héllo 你好\r\n", "last\n"] {
        (&stream).write_all(line.as_bytes()).unwrap();
        assert_eq!(reply(&mut reader), line);
    }
}

#[test]
fn echo_server_accepts_a_line_of_exactly_the_limit() {
    let server = Server::start(ECHO_SERVER, &[]);
    let stream = server.connect();
    let line = format!("{}\n", "x".repeat(1024));
    (&stream).write_all(line.as_bytes()).unwrap();
    assert_eq!(reply(&mut BufReader::new(&stream)), line);
}

#[test]
fn echo_server_answers_an_overlong_line_with_an_error_and_keeps_serving() {
    let mut server = Server::start(ECHO_SERVER, &[]);
    let stream = server.connect();
    // 1025 bytes and no newline yet: one byte over the limit.
    (&stream).write_all(&[b'x'; 1025]).unwrap();
    let mut reader = BufReader::new(&stream);
    assert_eq!(reply(&mut reader), "error: line longer than 1024 bytes\n");
    // Then the server hangs up (end of stream, or a reset because the rest
    // of our line was never read).
    let mut rest = Vec::new();
    match reader.read_to_end(&mut rest) {
        Ok(_) => assert!(rest.is_empty()),
        Err(err) => assert_eq!(err.kind(), ErrorKind::ConnectionReset),
    }
    assert!(server.next_line(DEADLINE).ends_with(" connected"));
    assert!(
        server
            .next_line(DEADLINE)
            .ends_with(" dropped: line longer than 1024 bytes")
    );
    // The next client is served as usual.
    let next = server.connect();
    (&next).write_all(b"still here\n").unwrap();
    assert_eq!(reply(&mut BufReader::new(&next)), "still here\n");
}

#[test]
fn echo_server_survives_a_client_that_leaves_in_the_middle_of_a_line() {
    let mut server = Server::start(ECHO_SERVER, &[]);
    let quitter = server.connect();
    (&quitter).write_all(b"half a li").unwrap();
    drop(quitter);
    assert!(server.next_line(DEADLINE).ends_with(" connected"));
    assert!(
        server
            .next_line(DEADLINE)
            .ends_with(" dropped: the stream ended in the middle of a line")
    );
    let good = server.connect();
    (&good).write_all(b"whole line\n").unwrap();
    assert_eq!(reply(&mut BufReader::new(&good)), "whole line\n");
}

#[test]
fn echo_server_survives_a_client_that_resets_the_connection() {
    let mut server = Server::start(ECHO_SERVER, &[]);
    let rude = server.connect();
    (&rude).write_all(b"half").unwrap();
    // SO_LINGER with a zero timeout: close(2) sends RST instead of FIN.
    socket2::SockRef::from(&rude)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(rude);
    assert!(server.next_line(DEADLINE).ends_with(" connected"));
    let end = server.next_line(DEADLINE);
    assert!(
        end.ends_with(" dropped: Connection reset by peer (os error 104)"),
        "{end}"
    );
    let good = server.connect();
    (&good).write_all(b"next\n").unwrap();
    assert_eq!(reply(&mut BufReader::new(&good)), "next\n");
}

#[test]
fn echo_server_serves_one_client_at_a_time() {
    let server = Server::start(ECHO_SERVER, &[]);
    let first = server.connect();
    (&first).write_all(b"one\n").unwrap();
    assert_eq!(reply(&mut BufReader::new(&first)), "one\n");

    // The kernel completes the second handshake (the listen backlog), so
    // connect and write succeed, but nobody reads while `first` is served.
    let second = server.connect();
    (&second).write_all(b"two\n").unwrap();
    second
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut buf = [0u8; 16];
    let err = (&second).read(&mut buf).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::WouldBlock,
        "no reply while the first client is served"
    );

    // When the first client leaves, the server accepts the second.
    drop(first);
    second.set_read_timeout(Some(DEADLINE)).unwrap();
    assert_eq!(reply(&mut BufReader::new(&second)), "two\n");
}

#[test]
fn a_python_client_talks_to_the_rust_echo_server() {
    let server = Server::start(ECHO_SERVER, &[]);
    let port = server.addr().port().to_string();
    let script = include_str!("../python/echo_client.py");
    let out = run(Command::new("python3").args(["-c", script, &port, "from python"]));
    out.assert_success();
    assert_eq!(out.stdout_text(), "from python\n");
}

#[test]
fn the_rust_client_talks_to_the_python_echo_server() {
    let script = include_str!("../python/echo_server.py");
    let mut server =
        Server::start_command(Command::new("python3").args(["-c", script, "127.0.0.1:0"]));
    let addr = server.addr().to_string();
    let out = run(Command::new(ECHO_CLIENT).args([&addr, "from rust"]));
    out.assert_success();
    assert_eq!(out.stdout_text(), "from rust\n");
    assert!(server.next_line(DEADLINE).ends_with(" connected"));
    assert!(server.next_line(DEADLINE).ends_with(" disconnected"));
}

#[test]
fn echo_client_reports_a_refused_connection_like_a_tool() {
    // A bound socket that never listens: a connection to its port is
    // refused, and while it is bound no other test can listen there, nor
    // can the client's own connect pick that port and connect to itself.
    let holder = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    holder
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    let port = holder.local_addr().unwrap().as_socket().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    let out = run(Command::new(ECHO_CLIENT).args([&addr, "hi"]));
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        format!("echo_client: {addr}: Connection refused (os error 111)\n")
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn echo_client_without_arguments_prints_usage() {
    let out = run(&mut Command::new(ECHO_CLIENT));
    assert_eq!(out.code(), Some(2));
    assert_eq!(out.stderr_text(), "usage: echo_client <addr> <message>\n");
}

#[test]
fn echo_server_nix_echoes_bytes_to_clients_in_turn() {
    let mut server = Server::start(ECHO_SERVER_NIX, &[]);
    for round in 0..3 {
        // 200 kB: more than one recv(2), and more than the socket buffers
        // hold without a reader, so write from a thread while reading.
        let message: Vec<u8> = (0..200_000u32).map(|i| (i * 7 + round) as u8).collect();
        let stream = server.connect();
        let mut writer = stream.try_clone().unwrap();
        let sent = message.clone();
        let write = thread::spawn(move || {
            writer.write_all(&sent).unwrap();
            writer.shutdown(Shutdown::Write).unwrap();
        });
        let mut echoed = Vec::new();
        (&stream).read_to_end(&mut echoed).unwrap();
        write.join().unwrap();
        assert_eq!(echoed, message);
        assert!(server.next_line(DEADLINE).ends_with(" connected"));
        assert!(server.next_line(DEADLINE).ends_with(" disconnected"));
    }
}

#[test]
fn echo_server_nix_output_matches_the_book() {
    let mut server = Server::start(ECHO_SERVER_NIX, &[]);
    let addr = server.addr();
    let out = run(Command::new(ECHO_CLIENT).args([&addr.to_string(), "hello, nix"]));
    out.assert_success();
    assert_eq!(out.stdout_text(), "hello, nix\n");
    assert!(server.next_line(DEADLINE).ends_with(" connected"));
    assert!(server.next_line(DEADLINE).ends_with(" disconnected"));
    let log = server.stop();
    let shown = normalise_server_log(addr.port(), &log.stdout_text());
    check_output!("../output/echo_server_nix.txt", &shown);
}

#[test]
fn both_servers_report_an_address_already_in_use_like_a_tool() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = run(Command::new(ECHO_SERVER).arg(&addr));
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        format!("echo_server: {addr}: Address already in use (os error 98)\n")
    );
    let out = run(Command::new(ECHO_SERVER_NIX).arg(&addr));
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        format!("echo_server_nix: {addr}: EADDRINUSE: Address already in use\n")
    );
}

/// Connects, has one byte echoed (so the server is past `accept` and in
/// its read loop), then resets the connection: SO_LINGER 0 makes close(2)
/// send RST.
fn connect_echo_once_and_reset(server: &Server) {
    let stream = server.connect();
    (&stream).write_all(b"x").unwrap();
    let mut byte = [0u8; 1];
    (&stream).read_exact(&mut byte).unwrap();
    socket2::SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
}

#[test]
fn echo_server_nix_survives_a_reset_that_ends_the_python_server() {
    let mut rust = Server::start(ECHO_SERVER_NIX, &[]);
    connect_echo_once_and_reset(&rust);
    assert!(rust.next_line(DEADLINE).ends_with(" connected"));
    assert!(
        rust.next_line(DEADLINE)
            .ends_with(" dropped: ECONNRESET: Connection reset by peer")
    );
    let next = rust.connect();
    (&next).write_all(b"still here\n").unwrap();
    assert_eq!(reply(&mut BufReader::new(&next)), "still here\n");

    let script = include_str!("../python/echo_server.py");
    let python = Server::start_command(Command::new("python3").args(["-c", script, "127.0.0.1:0"]));
    connect_echo_once_and_reset(&python);
    let out = python.wait(DEADLINE);
    assert_eq!(out.code(), Some(1));
    assert!(
        out.stderr_text().contains("ConnectionResetError"),
        "{}",
        out.stderr_text()
    );
}

#[test]
fn both_servers_survive_a_client_that_resets_while_still_queued() {
    for program in [ECHO_SERVER, ECHO_SERVER_NIX] {
        let server = Server::start(program, &[]);
        // The first client keeps the server busy in its read loop...
        let first = server.connect();
        (&first).write_all(b"x\n").unwrap();
        (&first).read_exact(&mut [0u8; 2]).unwrap();
        // ...while a second one connects and resets before it is accepted.
        // accept(2) still returns that connection; getpeername(2) on it
        // fails with ENOTCONN and read(2) with ECONNRESET.
        let queued = server.connect();
        socket2::SockRef::from(&queued)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(queued);
        drop(first);
        // The server goes on to serve a third client.
        let next = server.connect();
        (&next).write_all(b"still here\n").unwrap();
        assert_eq!(
            reply(&mut BufReader::new(&next)),
            "still here\n",
            "{program}"
        );
    }
}

/// The `flags:` of every socket descriptor of process `pid`, as
/// `/proc/<pid>/fdinfo` shows them.
fn socket_flags(pid: u32) -> Vec<i32> {
    let mut flags = Vec::new();
    for entry in std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap() {
        let entry = entry.unwrap();
        let target = std::fs::read_link(entry.path()).unwrap();
        if !target.to_string_lossy().starts_with("socket:") {
            continue;
        }
        let fd = entry.file_name().into_string().unwrap();
        let info = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}")).unwrap();
        let octal = info
            .lines()
            .find_map(|line| line.strip_prefix("flags:"))
            .expect("a flags: line");
        flags.push(i32::from_str_radix(octal.trim(), 8).unwrap());
    }
    flags
}

#[test]
fn both_servers_make_every_socket_close_on_exec() {
    for program in [ECHO_SERVER, ECHO_SERVER_NIX] {
        let server = Server::start(program, &[]);
        let client = server.connect();
        // The echo proves that the server has accepted this connection.
        (&client).write_all(b"x\n").unwrap();
        (&client).read_exact(&mut [0u8; 2]).unwrap();
        let flags = socket_flags(server.pid());
        assert_eq!(flags.len(), 2, "{program}: listening socket and connection");
        for flag in flags {
            assert_ne!(flag & libc::O_CLOEXEC, 0, "{program}: flags {flag:o}");
        }
    }
}
