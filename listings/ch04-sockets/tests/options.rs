//! Listings about socket attributes and options.

use std::fs;
use std::process::Command;
use std::thread;
use std::time::Instant;

use harness::{DEADLINE, Normalizer, check_output, run};

/// The numbers that follow each `marker` in `text`, e.g. the port after
/// "old server on 127.0.0.1:".
fn ports_after(text: &str, marker: &str) -> Vec<u16> {
    let ports: Vec<u16> = text
        .split(marker)
        .skip(1)
        .map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().unwrap()
        })
        .collect();
    assert!(!ports.is_empty(), "no {marker:?} in:\n{text}");
    ports
}

#[test]
fn socket_info_shows_addresses_options_and_a_read_timeout_as_wouldblock() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_socket_info")));
    out.assert_success();
    let text = out.stdout_text();
    // The sockets take the lowest free descriptors: 3, 4 and 5 after
    // standard input, output and error, unless a parent leaked one.
    let first_fd = ports_after(&text, "listener: fd ")[0];
    let mut text = text;
    for (fd, shown) in (first_fd..first_fd + 3).zip(3..) {
        text = text.replace(&format!("fd {fd},"), &format!("fd {shown},"));
    }
    let server_port = ports_after(&text, "listener: fd 3, local 127.0.0.1:")[0];
    let client_port = ports_after(&text, "client:   fd 4, local 127.0.0.1:")[0];
    // Each end's local address is the other end's peer address.
    assert!(text.contains(&format!(
        "server:   fd 5, local 127.0.0.1:{server_port}, peer 127.0.0.1:{client_port}"
    )));
    assert!(text.contains("type SOCK_STREAM, family AF_INET"));
    assert!(text.contains("TCP_NODELAY: false\nTCP_NODELAY after set_nodelay(true): true"));
    assert!(text.contains(
        "read with nothing to read: Resource temporarily unavailable (os error 11) (WouldBlock)"
    ));
    assert!(text.contains("SO_KEEPALIVE: true, idle 60s, interval 10s, probes 5"));
    let shown = Normalizer::new()
        .port(server_port, "7878")
        .port(client_port, "54321")
        .apply(&text);
    check_output!("../output/socket_info.txt", &shown);
}

/// Whether /proc/net/tcp lists a connection in TIME_WAIT (state 06) whose
/// local port is `port`, within the harness deadline. The kernel may
/// still be processing the listing's last FIN when the listing exits (it
/// hands loopback packets to a softirq, which a busy machine defers), so
/// the table is read again until the entry shows up.
fn in_time_wait(port: u16) -> bool {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let table = fs::read_to_string("/proc/net/tcp").unwrap();
        let found = table.lines().skip(1).any(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields[1].ends_with(&format!(":{port:04X}")) && fields[3] == "06"
        });
        if found || Instant::now() >= deadline {
            return found;
        }
        thread::yield_now();
    }
}

#[test]
fn so_reuseaddr_on_both_sockets_lets_a_server_rebind_over_time_wait() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_reuse_addr")));
    out.assert_success();
    let text = out.stdout_text();
    let [with, without] = ports_after(&text, "old server on 127.0.0.1:")[..] else {
        panic!("expected two old servers in:\n{text}");
    };
    assert_ne!(with, without);
    // The connections the listing closed are still in TIME_WAIT (60 s).
    assert!(in_time_wait(with), "no TIME_WAIT on port {with}");
    assert!(in_time_wait(without), "no TIME_WAIT on port {without}");
    let expected = "\
  new listener without SO_REUSEADDR: Address already in use (os error 98)
  new listener with SO_REUSEADDR:    bound
  std::net::TcpListener::bind:       bound
";
    assert!(text.contains(expected), "{text}");
    let expected = "\
  new listener without SO_REUSEADDR: Address already in use (os error 98)
  new listener with SO_REUSEADDR:    Address already in use (os error 98)
  std::net::TcpListener::bind:       Address already in use (os error 98)
";
    assert!(text.ends_with(expected), "{text}");
    let shown = Normalizer::new()
        .port(with, "7878")
        .port(without, "7879")
        .apply(&text);
    check_output!("../output/reuse_addr.txt", &shown);
}

#[test]
fn python_sockets_do_not_set_so_reuseaddr_but_rust_listeners_do() {
    let script = "import socket
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.bind(('127.0.0.1', 0))
sock.listen()
print(sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR))";
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(out.stdout_text(), "0\n");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    assert!(socket2::SockRef::from(&listener).reuse_address().unwrap());
}

#[test]
fn a_python_read_timeout_raises_timeout_error() {
    let script = "import socket
a, b = socket.socketpair()
a.settimeout(0.05)
try:
    a.recv(16)
except TimeoutError as err:
    print(type(err).__name__ + ':', err)";
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(out.stdout_text(), "TimeoutError: timed out\n");
}
