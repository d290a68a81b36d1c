mod common;

use std::io;
use std::net::{SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::process::Command;

use ch03_network::proc_net::TcpState::{FinWait2, TimeWait};
use ch03_network::proc_net::wait_for_state;
use harness::{DEADLINE, Normalizer, Output, check_output, run};
use socket2::{Domain, SockAddr, SockRef, Socket, Type};

const TCP_STATES: &str = env!("CARGO_BIN_EXE_tcp_states");
const HANDSHAKE: &str = env!("CARGO_BIN_EXE_handshake");

/// The client's port, from its line `client … :CLIENT -> :SERVER  STATE`.
fn client_port(text: &str, server: u16) -> u16 {
    let needle = format!(" -> :{server} ");
    let line = text
        .lines()
        .find(|line| {
            line.trim_start().starts_with("client") && line.contains(&needle)
        })
        .unwrap_or_else(|| panic!("no client line in\n{text}"));
    let left = line.split(" -> ").next().unwrap();
    left.rsplit(':').next().unwrap().parse().unwrap()
}

/// Shows the server's port as the listing's default and the client's as
/// a typical ephemeral port, in decimal and in /proc/net/tcp's hex.
fn normalise(text: &str, server_default: u16, client_shown: u16) -> String {
    let server = common::listening_port(text);
    let client = client_port(text, server);
    Normalizer::new()
        .port(server, &server_default.to_string())
        .port(client, &client_shown.to_string())
        .replace(
            &format!(":{server:04X}\\b"),
            &format!(":{server_default:04X}"),
        )
        .replace(
            &format!(":{client:04X}\\b"),
            &format!(":{client_shown:04X}"),
        )
        .apply(text)
}

#[test]
fn tcp_states_follows_one_connection_from_listen_to_time_wait() {
    let out = run(Command::new(TCP_STATES).arg("127.0.0.1:0"));
    out.assert_success();
    let text = out.stdout_text();
    let states: Vec<&str> = text
        .lines()
        .filter(|line| line.contains(" -> :"))
        .map(|line| line.rsplit(' ').next().unwrap())
        .collect();
    assert_eq!(
        states,
        [
            "LISTEN",
            "ESTABLISHED",
            "ESTABLISHED",
            "FIN_WAIT_2",
            "CLOSE_WAIT",
            "TIME_WAIT"
        ]
    );
    assert!(text.contains(
        "without SO_REUSEADDR: Address already in use (os error 98)"
    ));
    assert!(text.contains("TcpListener::bind: bound, SO_REUSEADDR = true"));
    // The kernel arms a 60 s timer on entering TIME_WAIT; the listing reads
    // what is left of it once it sees the state, which on a loaded machine
    // can be a second or more later (each step may take 5 s).
    let left: u64 = text
        .split("drops the TIME_WAIT entry in ")
        .nth(1)
        .and_then(|rest| rest.split(" s\n").next())
        .and_then(|seconds| seconds.parse().ok())
        .unwrap_or_else(|| panic!("no TIME_WAIT timer in\n{text}"));
    assert!((50..=60).contains(&left), "TIME_WAIT ends in {left} s");
    let text = text.replace(
        &format!("drops the TIME_WAIT entry in {left} s\n"),
        "drops the TIME_WAIT entry in 60 s\n",
    );
    check_output!("../output/tcp_states.txt", &normalise(&text, 7804, 35844));
}

/// Leaves the server end of a connection in TIME_WAIT, as a server that
/// closes first does, and closes the listener. `reuse` says whether the
/// listener had SO_REUSEADDR (std's TcpListener does; a plain socket, as in
/// C or Python, does not). Returns the port's address.
fn port_in_time_wait(reuse: bool) -> SocketAddrV4 {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_reuse_address(reuse).unwrap();
    socket
        .bind(&SockAddr::from(SocketAddr::from(([127, 0, 0, 1], 0))))
        .unwrap();
    socket.listen(8).unwrap();
    let listener = TcpListener::from(socket);
    let SocketAddr::V4(server) = listener.local_addr().unwrap() else {
        unreachable!()
    };
    let client_stream = TcpStream::connect(server).unwrap();
    let SocketAddr::V4(client) = client_stream.local_addr().unwrap() else {
        unreachable!()
    };
    let (server_stream, _) = listener.accept().unwrap();
    drop(server_stream);
    wait_for_state(DEADLINE, server, client, FinWait2).unwrap();
    drop(client_stream);
    wait_for_state(DEADLINE, server, client, TimeWait).unwrap();
    drop(listener);
    server
}

fn bind(addr: SocketAddrV4, reuse: bool) -> io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.set_reuse_address(reuse)?;
    socket.bind(&SockAddr::from(addr))?;
    Ok(socket)
}

#[test]
fn time_wait_blocks_a_bind_without_so_reuseaddr() {
    let addr = port_in_time_wait(true);
    let err = bind(addr, false).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EADDRINUSE));
    assert!(bind(addr, true).is_ok());
    assert!(TcpListener::bind(addr).is_ok());
}

#[test]
fn so_reuseaddr_on_the_new_socket_alone_is_not_enough() {
    // The old socket's SO_REUSEADDR is copied into its TIME_WAIT entry,
    // and Linux lets a bind through only if both sides set it.
    let addr = port_in_time_wait(false);
    let err = bind(addr, true).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EADDRINUSE));
    let err = TcpListener::bind(addr).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
}

#[test]
fn std_tcp_listener_sets_so_reuseaddr_and_a_plain_socket_does_not() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    assert!(SockRef::from(&listener).reuse_address().unwrap());
    let plain = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    assert!(!plain.reuse_address().unwrap());
}

#[test]
fn a_listening_socket_blocks_a_bind_even_with_so_reuseaddr() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let SocketAddr::V4(addr) = listener.local_addr().unwrap() else {
        unreachable!()
    };
    let err = bind(addr, true).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EADDRINUSE));
}

/// Runs `handshake` where it can open a raw socket: as root of a private
/// network namespace, whose only TCP traffic is the listing's own; else
/// here, if this test may open one.
fn run_handshake() -> Option<Output> {
    if let Some(out) = common::in_new_netns("", HANDSHAKE, &["127.0.0.1:0"]) {
        return Some(out);
    }
    let raw =
        Socket::new(Domain::IPV4, Type::RAW, Some(socket2::Protocol::TCP));
    if raw.is_ok() {
        eprintln!("note: capturing in this machine's own namespace instead");
        return Some(run(Command::new(HANDSHAKE).arg("127.0.0.1:0")));
    }
    eprintln!("note: no CAP_NET_RAW either; handshake capture skipped");
    None
}

#[test]
fn handshake_captures_three_segments_to_open_and_four_to_close() {
    let Some(out) = run_handshake() else {
        return;
    };
    out.assert_success();
    let text = out.stdout_text();
    let segments: Vec<String> = text
        .lines()
        .filter(|line| line.contains(" -> "))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        segments,
        [
            "client -> server SYN seq=x",
            "server -> client SYN+ACK seq=y ack=x+1",
            "client -> server ACK seq=x+1 ack=y+1",
            "server -> client FIN+ACK seq=y+1 ack=x+1",
            "client -> server ACK seq=x+1 ack=y+2",
            "client -> server FIN+ACK seq=x+1 ack=y+2",
            "server -> client ACK seq=y+2 ack=x+2",
        ]
    );
    let server = common::listening_port(&text);
    let client: u16 = text
        .lines()
        .find_map(|line| line.strip_prefix("client 127.0.0.1:"))
        .and_then(|rest| rest.split(',').next())
        .and_then(|port| port.parse().ok())
        .unwrap();
    let shown = Normalizer::new()
        .port(server, "7805")
        .port(client, "35848")
        .replace(r"number x = \d+", "number x = 3221847090")
        .replace(r"number y = \d+", "number y = 1390431873")
        .apply(&text);
    check_output!("../output/handshake.txt", &shown);
}

#[test]
fn handshake_without_cap_net_raw_says_what_it_needs() {
    let Some(mut cmd) = common::unprivileged(HANDSHAKE) else {
        return;
    };
    let out = run(cmd.arg("127.0.0.1:0"));
    if out.status.success() {
        eprintln!(
            "note: this unprivileged user may open raw sockets; nothing to check"
        );
        return;
    }
    assert_eq!(out.code(), Some(2));
    assert_eq!(out.stdout_text(), "");
    let text = out.stderr_text();
    assert!(
        text.starts_with(
            "handshake: a raw socket needs CAP_NET_RAW: Operation not permitted"
        ),
        "{text}"
    );
    assert!(text.contains("unshare --map-root-user --net"), "{text}");
}
