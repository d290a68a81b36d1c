mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::os::fd::AsRawFd;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

use common::{normalise_response, program};
use harness::{ChildGuard, DEADLINE, Output, Server, check_output, run};
use nix::sys::socket::{AddressFamily, SockFlag, SockType, SockaddrIn, bind, getsockname, socket};

fn http_get(url: &str) -> Output {
    run(Command::new(env!("CARGO_BIN_EXE_http_get")).arg(url))
}

/// A one-shot server in a thread: accepts one connection, reads the request
/// head, sends `response` and closes. The request head comes back through
/// the channel, so a test waits for it with a deadline.
fn fake_server(response: Vec<u8>) -> (SocketAddr, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        let mut reader = BufReader::new(&stream);
        let mut head = String::new();
        while !head.ends_with("\r\n\r\n") {
            if reader.read_line(&mut head).unwrap() == 0 {
                break;
            }
        }
        // The client may already have given up (oversized head): ignore.
        let _ = (&stream).write_all(&response);
        let _ = tx.send(head);
    });
    (addr, rx)
}

#[test]
fn http_get_sends_a_well_formed_request() {
    let (addr, request) = fake_server(b"HTTP/1.1 204 No Content\r\n\r\n".to_vec());
    let out = http_get(&format!("http://{addr}/search?q=rust"));
    out.assert_success();
    assert_eq!(
        request.recv_timeout(DEADLINE).unwrap(),
        format!(
            "GET /search?q=rust HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: http_get/0.1\r\n\
             Accept: */*\r\nConnection: close\r\n\r\n"
        )
    );
    assert_eq!(out.stdout_text(), "HTTP/1.1 204 No Content\n\n");
}

#[test]
fn http_get_reads_to_end_of_stream_without_content_length() {
    let (addr, _request) = fake_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nno length:\nthe close ends it\n"
            .to_vec(),
    );
    let out = http_get(&format!("http://{addr}/"));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "HTTP/1.1 200 OK\nContent-Type: text/plain\n\nno length:\nthe close ends it\n"
    );
}

#[test]
fn http_get_stops_after_content_length_bytes() {
    // Bytes after the body belong to no response: they are not printed.
    let (addr, _request) =
        fake_server(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, and more".to_vec());
    let out = http_get(&format!("http://{addr}/"));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello"
    );
}

#[test]
fn http_get_reports_a_body_shorter_than_content_length() {
    let (addr, _request) =
        fake_server(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..".to_vec());
    let url = format!("http://{addr}/");
    let out = http_get(&url);
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        format!("http_get: {url}: connection closed after 10 of 100 body bytes\n")
    );
}

#[test]
fn http_get_refuses_a_response_head_over_64_kib() {
    let mut response = b"HTTP/1.1 200 OK\r\nX-Big: ".to_vec();
    response.resize(70 * 1024, b'a');
    let (addr, _request) = fake_server(response);
    let url = format!("http://{addr}/");
    let out = http_get(&url);
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        format!("http_get: {url}: response head larger than 64 KiB\n")
    );
}

#[test]
fn http_get_prints_interim_1xx_responses_before_the_final_one() {
    let (addr, _request) = fake_server(
        b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n\
          HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n"
            .to_vec(),
    );
    let out = http_get(&format!("http://{addr}/"));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "HTTP/1.1 103 Early Hints\nLink: </style.css>; rel=preload\n\n\
         HTTP/1.1 200 OK\nContent-Length: 3\n\nok\n"
    );
}

#[test]
fn http_get_refuses_chunked_responses_it_cannot_decode() {
    let (addr, _request) = fake_server(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n".to_vec(),
    );
    let url = format!("http://{addr}/");
    let out = http_get(&url);
    assert_eq!(out.code(), Some(1));
    assert!(
        out.stderr_text()
            .ends_with("Transfer-Encoding is not supported by this client\n"),
        "{}",
        out.stderr_text()
    );
}

#[test]
fn http_get_reports_a_malformed_status_line() {
    let (addr, _request) = fake_server(b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec());
    let url = format!("http://{addr}/");
    let out = http_get(&url);
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        format!("http_get: {url}: malformed status line\n")
    );
}

#[test]
fn http_get_reports_connection_refused_like_a_tool() {
    // A bound socket that never listens: a connection to its port is
    // refused, and while it is bound no other test can listen there, nor
    // can the client's own connect pick that port and connect to itself.
    let holder = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::SOCK_CLOEXEC,
        None,
    )
    .unwrap();
    bind(holder.as_raw_fd(), &SockaddrIn::new(127, 0, 0, 1, 0)).unwrap();
    let port = getsockname::<SockaddrIn>(holder.as_raw_fd())
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    let out = http_get(&url);
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        format!("http_get: {url}: Connection refused (os error 111)\n")
    );
}

#[test]
fn http_get_rejects_bad_urls_and_arguments() {
    let out = http_get("https://example.com/");
    assert_eq!(out.code(), Some(1));
    assert!(
        out.stderr_text()
            .contains("only http:// URLs are supported")
    );
    let out = http_get("http://127.0.0.1:9/a b");
    assert_eq!(out.code(), Some(1));
    assert!(out.stderr_text().contains("must be percent-encoded"));
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_http_get")));
    assert_eq!(out.code(), Some(2));
    assert_eq!(
        out.stderr_text(),
        "usage: http_get http://HOST[:PORT][/PATH]\n"
    );
}

#[test]
fn http_get_prints_the_hello_response() {
    let server = Server::start(env!("CARGO_BIN_EXE_http_hello"), &[]);
    let out = http_get(&format!("http://{}/", server.addr()));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\nContent-Length: 13\n\
         Connection: close\n\nHello, HTTP!\n"
    );
}

/// Python's `http.server` on a free port, serving `dir`; returns the guard
/// and the port it printed.
fn python_http_server(python: &std::path::Path, dir: &std::path::Path) -> (ChildGuard, u16) {
    let mut guard = ChildGuard::spawn(
        Command::new(python)
            .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1"])
            .arg("--directory")
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    )
    .unwrap();
    let stdout = guard.child_mut().stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // "Serving HTTP on 127.0.0.1 port 41235 (http://…) ..."
            if let Some(rest) = line.split(" port ").nth(1) {
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let _ = tx.send(port.parse::<u16>().unwrap());
                break;
            }
        }
    });
    let port = rx
        .recv_timeout(DEADLINE)
        .expect("python3 -m http.server printed its port");
    (guard, port)
}

#[test]
fn http_get_talks_to_pythons_http_server() {
    let Some(python) = program("python3") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hello.txt"), "Hello from Python!\n").unwrap();
    let (_python_server, port) = python_http_server(&python, dir.path());
    let out = http_get(&format!("http://127.0.0.1:{port}/hello.txt"));
    out.assert_success();
    let shown = normalise_response(port, &out.stdout_text());
    check_output!("../output/http_get_python.txt", &shown);
    assert!(out.stdout_text().ends_with("\n\nHello from Python!\n"));
}

#[test]
fn http_get_fetches_files_and_errors_from_the_chapters_file_server() {
    let site = common::site();
    let server = common::start(&site, "5");
    // http_get asks for `Connection: close`; the server says so and closes,
    // and the Content-Length body arrives whole.
    let out = http_get(&format!("http://{}/hello.txt", server.addr()));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.starts_with("HTTP/1.1 200 OK\n"), "{text}");
    assert!(text.contains("\nContent-Length: 19\n"), "{text}");
    assert!(text.contains("\nConnection: close\n"), "{text}");
    assert!(text.ends_with(&format!("\n\n{}", common::HELLO)), "{text}");

    // A 3 MB file is streamed through `take`, byte for byte.
    let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i * 13 % 251) as u8).collect();
    std::fs::write(site.root().join("big.bin"), &bytes).unwrap();
    let out = http_get(&format!("http://{}/big.bin", server.addr()));
    out.assert_success();
    assert!(
        out.stdout.ends_with(&bytes),
        "the body differs from the file"
    );

    // An error status is a response like any other: printed, exit status 0.
    let out = http_get(&format!("http://{}/missing", server.addr()));
    out.assert_success();
    assert!(out.stdout_text().starts_with("HTTP/1.1 404 Not Found\n"));
    assert!(out.stdout_text().ends_with("\n\n404 Not Found\n"));
}
