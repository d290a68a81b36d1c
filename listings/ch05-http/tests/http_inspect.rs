mod common;

use std::process::Command;

use common::{normalise_response, program};
use harness::{Server, check_output, run};

fn inspect() -> Server {
    Server::start(env!("CARGO_BIN_EXE_http_inspect"), &[])
}

fn exchange(server: &Server, request: &[u8]) -> String {
    String::from_utf8(common::exchange(server, request)).unwrap()
}

#[test]
fn http_inspect_shows_what_http_get_sent() {
    let server = inspect();
    let out = run(Command::new(env!("CARGO_BIN_EXE_http_get"))
        .arg(format!("http://{}/search?q=rust", server.addr())));
    out.assert_success();
    // The book shows port 8080: shorten Content-Length by the digits that
    // the real port has in addition (the body echoes the Host header).
    let port = server.addr().port();
    let extra = port.to_string().len() - "8080".len();
    let text = out.stdout_text();
    let length: usize = text
        .split("Content-Length: ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap()
        .parse()
        .unwrap();
    let text = text.replace(
        &format!("Content-Length: {length}"),
        &format!("Content-Length: {}", length - extra),
    );
    check_output!(
        "../output/http_inspect.txt",
        &normalise_response(port, &text)
    );
}

#[test]
fn http_inspect_answers_each_parse_error_with_its_status_and_keeps_serving() {
    let server = inspect();
    let long_line = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(9000));
    let long_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX: {}\r\n\r\n",
        "a".repeat(9000)
    );
    let cases: [(&[u8], &str); 6] = [
        (
            b"GET / HTTP/3\r\nHost: x\r\n\r\n",
            "505 HTTP Version Not Supported: HTTP version not supported\n",
        ),
        (
            b"GET /\r\n\r\n",
            "400 Bad Request: request line is not: method target version\n",
        ),
        (
            b"GET / HTTP/1.1\r\n\r\n",
            "400 Bad Request: missing Host header\n",
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "501 Not Implemented: transfer coding not supported\n",
        ),
        (
            long_line.as_bytes(),
            "414 URI Too Long: request line too long\n",
        ),
        (
            long_header.as_bytes(),
            "431 Request Header Fields Too Large: header too long\n",
        ),
    ];
    for (request, body) in cases {
        let response = exchange(&server, request);
        let status = &body[..3];
        assert!(
            response.starts_with(&format!("HTTP/1.1 {status} ")),
            "{response}"
        );
        assert!(response.ends_with(&format!("\r\n\r\n{body}")), "{response}");
        let good = exchange(&server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(good.starts_with("HTTP/1.1 200 OK\r\n"), "{good}");
    }
}

#[test]
fn a_raw_python_socket_gets_505_for_http_3() {
    let Some(python) = program("python3") else {
        return;
    };
    let server = inspect();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/raw_request.py");
    let out = run(Command::new(python)
        .arg(script)
        .arg(server.addr().port().to_string()));
    out.assert_success();
    let shown = normalise_response(server.addr().port(), &out.stdout_text());
    check_output!("../output/python_raw.txt", &shown);
}
