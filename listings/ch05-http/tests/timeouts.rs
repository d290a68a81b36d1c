//! A client that stalls cannot hold a thread of the server forever.
mod common;

use std::io::{ErrorKind, Write};
use std::time::{Duration, Instant};

use common::{Client, HELLO, get, lines_until, site, start};
use harness::DEADLINE;

/// The server's timeout in these tests, its third argument: 0.25 s rather
/// than the default 5 s. Serving a file on loopback takes a millisecond or
/// two, so other clients are still served long before it expires.
const TIMEOUT: Duration = Duration::from_millis(250);
const TIMEOUT_ARG: &str = "0.25";

/// The server cut a client off at its deadline: not before the timeout, and
/// not long after it (the bound leaves room for a loaded machine). `took`
/// counts from before the client connected.
#[track_caller]
fn assert_cut_off_on_time(took: Duration) {
    assert!(
        took >= TIMEOUT,
        "cut off after {took:?}, before the timeout"
    );
    assert!(
        took < TIMEOUT + Duration::from_millis(1500),
        "cut off only after {took:?}"
    );
}

#[test]
fn a_stalled_request_gets_408_while_other_clients_are_served() {
    // Serving the other client within the timeout proves that it did not
    // wait for the stalled one. A machine too loaded to serve two small
    // files within 0.25 s proves nothing either way: try again with longer
    // timeouts. An iterative server fails every time.
    for (secs, timeout) in [
        ("0.25", TIMEOUT),
        ("1", Duration::from_secs(1)),
        ("4", Duration::from_secs(4)),
    ] {
        let site = site();
        let mut server = start(&site, secs);
        let started = Instant::now();
        let mut stalled = Client::new(&server);
        stalled.send(b"GET /hello.txt HTTP/1.1\r\nHo");

        // Meanwhile another client is served at once, twice.
        assert_eq!(get(&server, "/hello.txt").text(), HELLO);
        assert_eq!(get(&server, "/hello.txt").text(), HELLO);
        let served_after = started.elapsed();

        let response = stalled.response();
        let took = started.elapsed();
        assert!(
            took >= timeout,
            "cut off after {took:?}, before {timeout:?}"
        );
        assert_eq!(response.status_line, "HTTP/1.1 408 Request Timeout");
        assert_eq!(response.header("Connection"), Some("close"));
        stalled.assert_closed();
        if served_after >= timeout {
            eprintln!(
                "note: served after {served_after:?}: a timeout of {secs} s was too short to tell"
            );
            continue;
        }
        assert!(
            took < timeout + Duration::from_millis(1500),
            "cut off only after {took:?}"
        );

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
        return;
    }
    panic!("the other clients were served only after the stalled one's timeout");
}

#[test]
fn a_stalled_body_gets_408() {
    let site = site();
    let server = start(&site, TIMEOUT_ARG);
    let started = Instant::now();
    let mut client = Client::new(&server);
    client.send(b"POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
    assert_eq!(client.response().status, 408);
    assert_cut_off_on_time(started.elapsed());
    client.assert_closed();
}

#[test]
fn an_idle_keep_alive_connection_is_closed_without_a_response() {
    let site = site();
    let mut server = start(&site, TIMEOUT_ARG);
    let started = Instant::now();
    let mut client = Client::new(&server);
    client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(client.response().text(), HELLO);
    // Nothing more is sent; after the timeout the server just closes.
    client.assert_closed();
    assert_cut_off_on_time(started.elapsed());
    lines_until(&mut server, "conn 1: closed (idle)");
}

#[test]
fn a_client_trickling_bytes_is_cut_off_at_the_deadline() {
    let site = site();
    let server = start(&site, TIMEOUT_ARG);
    let started = Instant::now();
    let mut client = Client::new(&server);
    client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Slow: ");
    // One byte every 25 ms: a per-read timeout of 0.25 s would never fire.
    // Waiting for the server's answer for 25 ms is the pace.
    client
        .stream
        .set_read_timeout(Some(Duration::from_millis(25)))
        .unwrap();
    let mut first = [0u8; 1];
    let mut trickled = 0;
    loop {
        assert!(
            started.elapsed() < DEADLINE,
            "the server never cut the client off"
        );
        match client.reader.get_mut().peek(&mut first) {
            Ok(_) => break,
            Err(err) if err.kind() == ErrorKind::WouldBlock => {}
            Err(err) => panic!("{err}"),
        }
        // The server may already have closed its read side: ignore errors.
        let _ = client.stream.write_all(b"a");
        trickled += 1;
    }
    client.stream.set_read_timeout(Some(DEADLINE)).unwrap();
    let response = client.response();
    // Cut off by the deadline, not by the harness's 30 s one.
    assert_cut_off_on_time(started.elapsed());
    assert!(trickled > 2, "the client trickled while the server read");
    assert_eq!(response.status, 408);
    client.assert_closed();
}
