//! Other clients: curl (ranges, conditional requests, gzip) and Python's
//! http.client (keep-alive, 304, 206).

use std::fs;
use std::process::Command;

use harness::{DEADLINE, run_with};

use crate::common::{HELLO, program, site, start};

#[test]
fn curl_resumes_downloads_and_revalidates() {
    let Some(curl) = program("curl") else { return };
    let site = site();
    let server = start(&site, &[]);
    let url = |path: &str| format!("http://{}{path}", server.addr());
    let dir = tempfile::tempdir().unwrap();

    // --range: bytes 6-9 of "Hello from a file!\n".
    let out = run_with(
        Command::new(&curl).args([
            "-sS",
            "--range",
            "6-9",
            "-w",
            " %{http_code}",
            &url("/hello.txt"),
        ]),
        b"",
        DEADLINE,
    );
    assert_eq!(out.assert_success().stdout_text(), "from 206");

    // -C -: resume a download that stopped after 5 bytes.
    let partial = dir.path().join("hello.txt");
    fs::write(&partial, &HELLO[..5]).unwrap();
    let partial_arg = partial.to_str().unwrap();
    run_with(
        Command::new(&curl).args(["-sS", "-C", "-", "-o", partial_arg, &url("/hello.txt")]),
        b"",
        DEADLINE,
    )
    .assert_success();
    assert_eq!(fs::read_to_string(&partial).unwrap(), HELLO);

    // --etag-save, then --etag-compare: the second request gets 304.
    let etag = dir.path().join("etag");
    let etag_arg = etag.to_str().unwrap();
    let first = run_with(
        Command::new(&curl).args([
            "-sS",
            "--etag-save",
            etag_arg,
            "-w",
            " %{http_code}",
            &url("/hello.txt"),
        ]),
        b"",
        DEADLINE,
    );
    assert_eq!(first.assert_success().stdout_text(), format!("{HELLO} 200"));
    let second = run_with(
        Command::new(&curl).args([
            "-sS",
            "--etag-compare",
            etag_arg,
            "-w",
            "%{http_code}",
            &url("/hello.txt"),
        ]),
        b"",
        DEADLINE,
    );
    assert_eq!(second.assert_success().stdout_text(), "304");

    // -z: If-Modified-Since from a date; a future date gets 304.
    let since = run_with(
        Command::new(&curl).args([
            "-sS",
            "-z",
            "Fri, 01 Jan 2100 00:00:00 GMT",
            "-w",
            "%{http_code}",
            &url("/hello.txt"),
        ]),
        b"",
        DEADLINE,
    );
    assert_eq!(since.assert_success().stdout_text(), "304");

    // --compressed: curl asks for gzip and decodes what it gets.
    let gz = Command::new("gzip")
        .args(["-k", "-9"])
        .arg(site.root().join("hello.txt"))
        .status();
    if gz.is_ok_and(|status| status.success()) {
        let out = run_with(
            Command::new(&curl).args(["-sS", "--compressed", "-D", "-", &url("/hello.txt")]),
            b"",
            DEADLINE,
        );
        let text = out.assert_success().stdout_text();
        assert!(text.contains("Content-Encoding: gzip\r\n"), "{text}");
        assert!(text.ends_with(HELLO), "{text}");
    }
}

#[test]
fn python_http_client_keeps_the_connection_and_understands_304_and_206() {
    let Some(python) = program("python3") else {
        return;
    };
    let site = site();
    let server = start(&site, &[]);
    let script = r#"
import http.client, sys
conn = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=20)
conn.request("GET", "/hello.txt")
r = conn.getresponse(); body = r.read(); etag = r.getheader("ETag")
print(r.status, body)
sock = conn.sock
conn.request("GET", "/hello.txt", headers={"If-None-Match": etag})
r = conn.getresponse(); print(r.status, r.read())
conn.request("GET", "/hello.txt", headers={"Range": "bytes=0-4"})
r = conn.getresponse(); print(r.status, r.getheader("Content-Range"), r.read())
print("same connection:", conn.sock is sock)
"#;
    let addr = server.addr();
    let out = run_with(
        Command::new(python).args([
            "-c",
            script,
            &addr.ip().to_string(),
            &addr.port().to_string(),
        ]),
        b"",
        DEADLINE,
    );
    assert_eq!(
        out.assert_success().stdout_text(),
        "200 b'Hello from a file!\\n'\n304 b''\n206 bytes 0-4/19 b'Hello'\nsame connection: True\n"
    );
}
