mod common;

use std::io::{Read, Write};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{exchange, normalise_response, program};
use harness::{Server, check_output, run};

const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Length: 13\r\n\
Connection: close\r\n\
\r\n\
Hello, HTTP!\n";

#[test]
fn hello_answers_every_request_with_the_same_bytes_and_closes() {
    let server = Server::start(env!("CARGO_BIN_EXE_http_hello"), &[]);
    for request in [
        &b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        b"GET /anything?at=all HTTP/1.0\r\n\r\n",
        b"HEAD /x HTTP/1.1\nHost: y\n\n",
    ] {
        // read_to_end returning proves the server closed the connection.
        assert_eq!(exchange(&server, request), RESPONSE);
    }
}

#[test]
fn hello_reads_at_most_8_kib_of_a_request_head() {
    let server = Server::start(env!("CARGO_BIN_EXE_http_hello"), &[]);
    let mut stream = server.connect();
    // A head that never ends: the server stops reading after 8 KiB and
    // answers anyway, without waiting for the rest.
    let mut request = b"GET / HTTP/1.1\r\nX: ".to_vec();
    request.resize(8 * 1024 + 100, b'a');
    stream.write_all(&request).unwrap();
    let mut response = vec![0; RESPONSE.len()];
    stream.read_exact(&mut response).unwrap();
    assert_eq!(response, RESPONSE);
}

#[test]
fn a_silent_client_holds_the_iterative_hello_server_until_its_read_timeout() {
    // A read timeout of 0.25 s rather than the default 2 s.
    let timeout = Duration::from_millis(250);
    let server = Server::start(env!("CARGO_BIN_EXE_http_hello"), &["0.25"]);
    let start = Instant::now();
    let _silent = server.connect();
    let response = exchange(&server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(response, RESPONSE);
    // One connection at a time: the second client waited for the first
    // one's read timeout, and was answered as soon as it expired (the
    // bound leaves room for a loaded machine).
    let took = start.elapsed();
    assert!(took >= timeout, "answered after {took:?}");
    assert!(
        took < timeout + Duration::from_millis(1500),
        "answered after {took:?}"
    );
}

#[test]
fn hello_refuses_a_timeout_that_is_not_a_positive_number() {
    for secs in ["0", "-1", "soon"] {
        let out = run(Command::new(env!("CARGO_BIN_EXE_http_hello")).args(["127.0.0.1:0", secs]));
        assert_eq!(out.code(), Some(1));
        assert!(
            out.stderr_text().contains(&format!("bad timeout: {secs}")),
            "{}",
            out.stderr_text()
        );
    }
}

#[test]
fn curl_reads_the_hello_response() {
    let Some(curl) = program("curl") else { return };
    let server = Server::start(env!("CARGO_BIN_EXE_http_hello"), &[]);
    let url = format!("http://{}/", server.addr());
    let out = run(Command::new(curl).args(["-sS", "-i", &url]));
    out.assert_success();
    let shown = normalise_response(server.addr().port(), &out.stdout_text());
    check_output!("../output/curl_hello.txt", &shown);
}
