//! Deadlines, the connection limit, many idle connections and graceful
//! shutdown.

use std::fs::{self, File};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use harness::DEADLINE;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::common::{
    Client, HELLO, assert_still_serving, every_design, get, site, start, start_bin,
};
use crate::features::rss_kib;

#[test]
fn a_slow_loris_is_cut_off_at_the_head_deadline_while_others_are_served() {
    let site = site();
    let server = start(&site, &["--head-timeout", "0.5"]);
    let mut client = Client::new(&server);
    let started = Instant::now();
    // A valid head, one byte every 20 ms: 2 s for all of it, if allowed.
    let head = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Padding: 0123456789012345678901234567890123456789012345678901234567890123456789\r\n\r\n";
    let mut cut_off = false;
    for (sent, byte) in head.iter().enumerate() {
        if client.stream.write_all(&[*byte]).is_err() {
            cut_off = true;
            break;
        }
        // Other clients are served meanwhile.
        if sent % 10 == 0 {
            assert_still_serving(&server);
        }
        // Not a synchronisation: the pace of the slow client under test.
        thread::sleep(Duration::from_millis(20));
        if started.elapsed() > DEADLINE {
            panic!("the slow client was never cut off");
        }
    }
    let _ = cut_off;
    // Whether or not a write failed, what the client reads is a 408 and
    // the end of the connection, never the file.
    let response = client.response();
    assert_eq!(response.status, 408);
    assert!(started.elapsed() >= Duration::from_millis(500));
}

fn half_a_request_gets_408_and_an_idle_connection_is_closed_silently(bin: &str) {
    let site = site();
    let server = start_bin(
        bin,
        &site,
        &["--head-timeout", "0.3", "--idle-timeout", "0.3"],
    );
    let mut client = Client::new(&server);
    client.send(b"GET /hello.txt HTTP/1.1\r\nHost:");
    let response = client.response();
    assert_eq!(
        (response.status, response.header("Connection")),
        (408, Some("close"))
    );
    client.assert_closed();

    let mut idle = Client::new(&server);
    idle.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(idle.response().text(), HELLO);
    let waited = Instant::now();
    idle.assert_closed(); // nothing more, then end of stream
    assert!(waited.elapsed() >= Duration::from_millis(250));
}

fn over_the_connection_limit_clients_get_503_until_a_slot_frees(bin: &str) {
    let site = site();
    let server = start_bin(bin, &site, &["--max-connections", "2"]);
    let mut first = Client::new(&server);
    first.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(first.response().status, 200);
    let mut second = Client::new(&server);
    second.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(second.response().status, 200);

    let mut third = Client::new(&server);
    third.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    let response = third.response();
    assert_eq!(response.status, 503);
    assert_eq!(response.header("Retry-After"), Some("1"));
    third.assert_closed();

    // Closing one frees its slot, as soon as the server notices.
    drop(first);
    let freed = harness::wait_until(DEADLINE, || {
        let mut client = Client::new(&server);
        client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        let response = client.response();
        assert!(matches!(response.status, 200 | 503), "{response:?}");
        response.status == 200
    });
    assert!(freed, "the slot was never freed");
}

/// Stopped and continued (Ctrl-Z, then `fg`): a blocking read on a socket
/// with a timeout fails with EINTR, which the server must not take for the
/// end of the connection.
fn a_kept_alive_connection_survives_sigstop_and_sigcont(bin: &str) {
    let site = site();
    let server = start_bin(bin, &site, &[]);
    let mut client = Client::new(&server);
    client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(client.response().text(), HELLO);
    let pid = Pid::from_raw(server.pid() as i32);
    kill(pid, Signal::SIGSTOP).unwrap();
    // Stopped means every thread is: state T in /proc.
    let stopped = harness::wait_until(DEADLINE, || {
        fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            stat.rsplit(')')
                .next()
                .is_some_and(|rest| rest.starts_with(" T"))
        })
    });
    kill(pid, Signal::SIGCONT).unwrap();
    assert!(stopped, "the server did not stop");
    client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(client.response().text(), HELLO);
}

/// A body that ends with the connection, before its Content-Length: 400,
/// and the server goes on serving.
fn a_body_cut_short_gets_400(bin: &str) {
    let site = site();
    let server = start_bin(bin, &site, &[]);
    let mut client = Client::new(&server);
    client.send(b"POST /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly this");
    client.stream.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(client.response().status, 400);
    assert_still_serving(&server);
}

/// Bad arguments: what is wrong and the usage on stderr, status 2, as
/// command-line tools do; nothing listens.
fn bad_arguments_get_the_usage_and_status_2(bin: &str) {
    let site = site();
    let root = site.root();
    let root = root.to_str().unwrap();
    let hello = site.root().join("hello.txt");
    let cases: [(&[&str], &str); 6] = [
        (&[], "expected ADDR and ROOT"),
        (
            &["127.0.0.1:0", "/no/such/dir"],
            "/no/such/dir: No such file",
        ),
        (&["127.0.0.1:0", hello.to_str().unwrap()], "Not a directory"),
        (
            &["127.0.0.1:0", root, "--head-timeout", "0"],
            "not a positive number of seconds",
        ),
        (
            &["127.0.0.1:0", root, "--max-connections"],
            "--max-connections: needs a value",
        ),
        (
            &["127.0.0.1:0", root, "--verbose", "1"],
            "--verbose: unknown option",
        ),
    ];
    for (args, message) in cases {
        let out = harness::run(std::process::Command::new(bin).args(args));
        let stderr = out.stderr_text();
        assert_eq!(out.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(stderr.contains("usage: "), "{args:?}: {stderr}");
        assert!(out.stdout_text().is_empty(), "{args:?}");
    }
}

every_design!(
    bad_arguments_get_the_usage_and_status_2,
    half_a_request_gets_408_and_an_idle_connection_is_closed_silently,
    over_the_connection_limit_clients_get_503_until_a_slot_frees,
    a_kept_alive_connection_survives_sigstop_and_sigcont,
    a_body_cut_short_gets_400,
);

#[test]
fn ten_thousand_idle_connections_cost_little_memory() {
    let site = site();
    // One slot more than the idle connections: the last check needs it.
    let server = start(&site, &["--max-connections", "10001"]);
    // This process holds 10,000 sockets too.
    let (_, hard) =
        nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE).unwrap();
    if hard < 10_500 {
        eprintln!("skipping: RLIMIT_NOFILE's hard limit is {hard}");
        return;
    }
    nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE, hard, hard).unwrap();
    let before = rss_kib(server.pid());
    let mut idle: Vec<TcpStream> = Vec::with_capacity(10_000);
    while idle.len() < 10_000 {
        // Batches of 500, each ended by a request on its last connection:
        // the server accepts in order, so an answer there means it holds
        // the whole batch (and the listen backlog never overflows).
        for _ in 0..499 {
            idle.push(TcpStream::connect(server.addr()).unwrap());
        }
        let mut last = Client::new(&server);
        last.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
        assert_eq!(last.response().status, 200);
        idle.push(last.stream);
    }
    let grown = rss_kib(server.pid()).saturating_sub(before);
    // A task and a socket each; no buffer while idle. 40 MiB is 4 KiB a
    // connection, which a per-connection 4 KiB buffer would already exceed.
    assert!(
        grown < 40 * 1024,
        "10,000 idle connections cost {grown} KiB"
    );
    assert_still_serving(&server);
    eprintln!("10,000 idle connections: {grown} KiB");
}

#[test]
fn sigterm_finishes_responses_in_flight_and_exits_0() {
    let site = site();
    // 64 MiB, sparse: more than the socket buffers hold, so the response
    // is still being sent when the signal arrives.
    let big = File::create(site.root().join("big.bin")).unwrap();
    big.set_len(64 * 1024 * 1024).unwrap();
    drop(big);
    let mut server = start(&site, &[]);
    let mut idle = Client::new(&server);
    idle.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(idle.response().text(), HELLO);

    let mut busy = server.connect();
    busy.write_all(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 17];
    busy.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200 OK\r\n");

    server.signal(libc::SIGTERM);
    let line = server.next_line(DEADLINE);
    assert_eq!(line, "shutting down: 2 connections open");
    // No new connections; the idle one is closed.
    let refused = TcpStream::connect(server.addr())
        .map(|_| ())
        .map_err(|err| err.kind());
    assert_eq!(refused, Err(ErrorKind::ConnectionRefused));
    idle.assert_closed();
    // The response in flight arrives whole, then the connection closes.
    let mut rest = Vec::new();
    busy.read_to_end(&mut rest).unwrap();
    let body_at = rest.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert_eq!(rest.len() - body_at, 64 * 1024 * 1024);
    let output = server.wait(DEADLINE);
    assert_eq!(output.code(), Some(0), "{}", output.stderr_text());
    assert!(output.stdout_text().ends_with("all connections closed\n"));
    let _ = fs::remove_file(site.root().join("big.bin"));
    let _ = get;
}
