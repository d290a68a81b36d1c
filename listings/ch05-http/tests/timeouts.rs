//! A client that stalls cannot hold a thread of the server forever.
mod common;

use std::io::{ErrorKind, Write};
use std::time::{Duration, Instant};

use common::{Client, HELLO, get, lines_until, site, start};
use harness::DEADLINE;

#[test]
fn a_stalled_request_gets_408_while_other_clients_are_served() {
    let site = site();
    // Two seconds: ample time to serve the other client first, even on a
    // loaded machine.
    let mut server = start(&site, "2");
    let started = Instant::now();
    let mut stalled = Client::new(&server);
    stalled.send(b"GET /hello.txt HTTP/1.1\r\nHo");

    // Meanwhile another client is served at once, twice.
    assert_eq!(get(&server, "/hello.txt").text(), HELLO);
    assert_eq!(get(&server, "/hello.txt").text(), HELLO);

    let response = stalled.response();
    assert_eq!(response.status_line, "HTTP/1.1 408 Request Timeout");
    assert_eq!(response.header("Connection"), Some("close"));
    stalled.assert_closed();
    assert!(started.elapsed() >= Duration::from_millis(1900));

    // The log shows the other requests answered before the timeout.
    let log = lines_until(&mut server, "-> 408 Request Timeout");
    let served = log
        .iter()
        .filter(|line| line.ends_with("GET /hello.txt HTTP/1.1 -> 200 OK"))
        .count();
    assert_eq!(served, 2, "{log:?}");
    assert_eq!(
        log.last().unwrap(),
        "conn 1: incomplete request -> 408 Request Timeout"
    );
}

#[test]
fn a_stalled_body_gets_408() {
    let site = site();
    let server = start(&site, "1");
    let mut client = Client::new(&server);
    client.send(b"POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
    assert_eq!(client.response().status, 408);
    client.assert_closed();
}

#[test]
fn an_idle_keep_alive_connection_is_closed_without_a_response() {
    let site = site();
    let mut server = start(&site, "1");
    let mut client = Client::new(&server);
    client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(client.response().text(), HELLO);
    // Nothing more is sent; after the timeout the server just closes.
    client.assert_closed();
    lines_until(&mut server, "conn 1: closed (idle)");
}

#[test]
fn a_client_trickling_bytes_is_cut_off_at_the_deadline() {
    let site = site();
    let server = start(&site, "1");
    let mut client = Client::new(&server);
    client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Slow: ");
    // One byte every 100 ms: a per-read timeout of 1 s would never fire.
    // Waiting for the server's answer for 100 ms is the pace.
    client
        .stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let started = Instant::now();
    let mut first = [0u8; 1];
    let answered = loop {
        assert!(
            started.elapsed() < DEADLINE,
            "the server never cut the client off"
        );
        match client.reader.get_mut().peek(&mut first) {
            Ok(_) => break true,
            Err(err) if err.kind() == ErrorKind::WouldBlock => {}
            Err(err) => panic!("{err}"),
        }
        // The server may already have closed its read side: ignore errors.
        let _ = client.stream.write_all(b"a");
    };
    assert!(answered);
    client.stream.set_read_timeout(Some(DEADLINE)).unwrap();
    let response = client.response();
    assert_eq!(response.status, 408);
    client.assert_closed();
    // Cut off by the 1 s deadline, not by the harness's 30 s one.
    assert!(started.elapsed() < Duration::from_secs(10));
}
