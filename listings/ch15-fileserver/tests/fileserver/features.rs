//! What a static file server adds to chapter 5's: keep-alive with
//! pipelining, validators and 304, ranges, directories, precompressed files,
//! large files.

use std::fs;
use std::io::{Read, Write};
use std::time::{Duration, SystemTime};

use ch15_fileserver::parse_http_date;

use crate::common::{Client, HELLO, Response, every_design, get, site, start_bin};

fn request(path: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut text = format!("GET {path} HTTP/1.1\r\nHost: t\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

/// One request with extra headers on a new connection, answered and kept open.
#[track_caller]
fn fetch(client: &mut Client, path: &str, headers: &[(&str, &str)]) -> Response {
    client.send(&request(path, headers));
    client.response()
}

fn pipelined_requests_are_answered_in_order(bin: &str) {
    let site = site();
    let server = start_bin(bin, &site, &[]);
    let mut client = Client::new(&server);
    // Sixty requests in one write: HEAD and GET of different files, a
    // missing file and a bad target in the middle of them.
    let mut burst = Vec::new();
    let paths = [
        "/hello.txt",
        "/style.css",
        "/missing",
        "/docs/guide.txt",
        "/%zz",
    ];
    for round in 0..12 {
        for path in paths {
            let method = if round % 2 == 0 { "GET" } else { "HEAD" };
            burst.extend(format!("{method} {path} HTTP/1.1\r\nHost: t\r\n\r\n").bytes());
        }
    }
    client.send(&burst);
    for round in 0..12 {
        for path in paths {
            let response = if round % 2 == 0 {
                client.response()
            } else {
                client.head_response()
            };
            let expected = match path {
                "/missing" => 404,
                "/%zz" => 400,
                _ => 200,
            };
            assert_eq!(response.status, expected, "{path} in round {round}");
            if round % 2 == 0 && path == "/hello.txt" {
                assert_eq!(response.text(), HELLO);
            }
            if round % 2 == 0 && path == "/docs/guide.txt" {
                assert_eq!(response.text(), "guide\n");
            }
        }
    }
    // Still open: one more request on the same connection.
    assert_eq!(fetch(&mut client, "/hello.txt", &[]).text(), HELLO);
}

fn http_1_0_keeps_the_connection_only_when_asked(bin: &str) {
    let site = site();
    let server = start_bin(bin, &site, &[]);
    let mut client = Client::new(&server);
    client.send(b"GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    let response = client.response();
    assert_eq!(response.header("Connection"), Some("keep-alive"));
    client.send(b"GET /hello.txt HTTP/1.0\r\n\r\n");
    let response = client.response();
    assert_eq!(response.header("Connection"), Some("close"));
    assert_eq!(response.text(), HELLO);
    client.assert_closed();
}

fn etag_and_last_modified_give_304(bin: &str) {
    let site = site();
    let server = start_bin(bin, &site, &[]);
    let mut client = Client::new(&server);
    let first = fetch(&mut client, "/hello.txt", &[]);
    let etag = first.header("ETag").expect("an ETag").to_owned();
    let date = first.header("Last-Modified").expect("a date").to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");

    let weak = format!("W/{etag}");
    let listed = format!("\"other\", {etag}");
    for headers in [
        vec![("If-None-Match", etag.as_str())],
        vec![("If-None-Match", weak.as_str())],
        vec![("If-None-Match", listed.as_str())],
        vec![("If-None-Match", "*")],
        vec![("If-Modified-Since", date.as_str())],
        vec![("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT")],
    ] {
        let response = fetch(&mut client, "/hello.txt", &headers);
        assert_eq!(response.status, 304, "{headers:?}");
        assert_eq!(response.header("ETag"), Some(etag.as_str()));
        assert_eq!(response.header("Content-Length"), None);
        assert!(response.body.is_empty());
    }
    for headers in [
        vec![("If-None-Match", "\"other\"")],
        vec![("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")],
        // A date the server cannot read is ignored.
        vec![("If-Modified-Since", "yesterday")],
        // If-None-Match wins over If-Modified-Since.
        vec![
            ("If-None-Match", "\"other\""),
            ("If-Modified-Since", date.as_str()),
        ],
    ] {
        let response = fetch(&mut client, "/hello.txt", &headers);
        assert_eq!(response.status, 200, "{headers:?}");
        assert_eq!(response.text(), HELLO);
    }
    // A changed file has a new ETag: the old one gets the new content.
    fs::write(site.root().join("hello.txt"), "Changed!\n").unwrap();
    let response = fetch(&mut client, "/hello.txt", &[("If-None-Match", &etag)]);
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), "Changed!\n");
    assert_ne!(response.header("ETag"), Some(etag.as_str()));
}

fn a_single_range_gets_206_and_an_unsatisfiable_one_416(bin: &str) {
    let site = site();
    let server = start_bin(bin, &site, &[]);
    let mut client = Client::new(&server);
    // HELLO is "Hello from a file!\n": 19 bytes.
    for (range, body, content_range) in [
        ("bytes=0-4", "Hello", "bytes 0-4/19"),
        ("bytes=6-9", "from", "bytes 6-9/19"),
        ("bytes=13-", "file!\n", "bytes 13-18/19"),
        ("bytes=-6", "file!\n", "bytes 13-18/19"),
        ("bytes=13-1000", "file!\n", "bytes 13-18/19"),
        ("bytes=-1000", HELLO, "bytes 0-18/19"),
    ] {
        let response = fetch(&mut client, "/hello.txt", &[("Range", range)]);
        assert_eq!(response.status, 206, "{range}");
        assert_eq!(response.text(), body, "{range}");
        assert_eq!(response.header("Content-Range"), Some(content_range));
    }
    for range in ["bytes=19-", "bytes=100-200", "bytes=-0"] {
        let response = fetch(&mut client, "/hello.txt", &[("Range", range)]);
        assert_eq!(response.status, 416, "{range}");
        assert_eq!(response.header("Content-Range"), Some("bytes */19"));
    }
    // Several ranges, another unit, nonsense: ignored, the whole file.
    for range in ["bytes=0-1,5-6", "lines=1-2", "bytes=5-2", "bytes=x-"] {
        let response = fetch(&mut client, "/hello.txt", &[("Range", range)]);
        assert_eq!(response.status, 200, "{range}");
        assert_eq!(response.text(), HELLO);
        assert_eq!(response.header("Accept-Ranges"), Some("bytes"));
    }
    // If-Range: the range only if the client's copy is still this one.
    let etag = fetch(&mut client, "/hello.txt", &[])
        .header("ETag")
        .unwrap()
        .to_owned();
    let same = [("Range", "bytes=0-4"), ("If-Range", etag.as_str())];
    assert_eq!(fetch(&mut client, "/hello.txt", &same).status, 206);
    let other = [("Range", "bytes=0-4"), ("If-Range", "\"old\"")];
    let response = fetch(&mut client, "/hello.txt", &other);
    assert_eq!((response.status, response.text()), (200, HELLO.to_owned()));

    // If-Range with a date: only a strong one, at least a second before
    // the response (RFC 9110, 8.8.2.2 and 13.1.5). An hour-old file's is.
    let hour = Duration::from_secs(3600);
    let file = fs::File::options()
        .write(true)
        .open(site.root().join("hello.txt"))
        .unwrap();
    file.set_modified(SystemTime::now() - hour).unwrap();
    let date = fetch(&mut client, "/hello.txt", &[]);
    let date = date.header("Last-Modified").unwrap();
    let by_date = [("Range", "bytes=0-4"), ("If-Range", date)];
    assert_eq!(fetch(&mut client, "/hello.txt", &by_date).status, 206);
    // A file dated in the future is sent as modified now, never later
    // than Date (8.8.2.1); that date is weak, so a range by it is ignored.
    file.set_modified(SystemTime::now() + hour).unwrap();
    let response = fetch(&mut client, "/hello.txt", &[]);
    let (date, modified) = (
        response.header("Date").and_then(parse_http_date).unwrap(),
        response.header("Last-Modified").unwrap(),
    );
    let modified_secs = parse_http_date(modified).unwrap();
    assert!(
        modified_secs <= date + 1,
        "{modified} is after the Date {date}"
    );
    let by_date = [("Range", "bytes=0-4"), ("If-Range", modified)];
    let response = fetch(&mut client, "/hello.txt", &by_date);
    assert_eq!((response.status, response.text()), (200, HELLO.to_owned()));
}

fn directories_serve_index_html_or_404_never_a_listing(bin: &str) {
    let site = site();
    let server = start_bin(bin, &site, &[]);
    assert_eq!(
        get(&server, "/").text(),
        "<!DOCTYPE html><title>home</title><p>home</p>\n"
    );
    assert_eq!(get(&server, "/docs/").text(), "<p>docs</p>\n");
    let response = get(&server, "/docs");
    assert_eq!(
        (response.status, response.header("Location")),
        (301, Some("/docs/"))
    );
    let response = get(&server, "/empty/");
    assert_eq!(response.status, 404);
    assert!(!response.text().contains("guide"));
}

fn precompressed_files_are_served_to_clients_that_accept_gzip(bin: &str) {
    let site = site();
    let server = start_bin(bin, &site, &[]);
    let gz = b"\x1f\x8b stands in for gzip data";
    fs::write(site.root().join("app.js.gz"), gz).unwrap();
    let mut client = Client::new(&server);
    for accept in ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5", "*"] {
        let response = fetch(&mut client, "/app.js", &[("Accept-Encoding", accept)]);
        assert_eq!(response.body, gz, "{accept}");
        assert_eq!(response.header("Content-Encoding"), Some("gzip"));
        assert_eq!(response.header("Vary"), Some("Accept-Encoding"));
        assert_eq!(
            response.header("Content-Type"),
            Some("text/javascript; charset=utf-8")
        );
    }
    for accept in [None, Some("br"), Some("gzip;q=0"), Some("*, gzip;q=0")] {
        let headers: Vec<(&str, &str)> =
            accept.map(|a| ("Accept-Encoding", a)).into_iter().collect();
        let response = fetch(&mut client, "/app.js", &headers);
        assert_eq!(response.text(), "console.log('hi');\n", "{accept:?}");
        assert_eq!(response.header("Content-Encoding"), None);
        // Caches must still know that the answer depends on the header.
        assert_eq!(response.header("Vary"), Some("Accept-Encoding"));
    }
    // Without a .gz next to it, no Vary.
    let response = fetch(&mut client, "/hello.txt", &[("Accept-Encoding", "gzip")]);
    assert_eq!(
        (response.header("Vary"), response.text()),
        (None, HELLO.to_owned())
    );
}

/// Resident memory of a process, in KiB.
pub fn rss_kib(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with("VmRSS:"))
        .unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn a_large_file_streams_without_being_loaded_into_memory(bin: &str) {
    let site = site();
    // 24 MiB of a pattern the test can check at every offset.
    // Byte i is i % 251, built by copying, which is quick in a debug build.
    let block: Vec<u8> = (0..251u8).collect();
    let mut pattern = block.repeat(24 * 1024 * 1024 / 251 + 1);
    pattern.truncate(24 * 1024 * 1024);
    fs::write(site.root().join("big.bin"), &pattern).unwrap();
    let server = start_bin(bin, &site, &[]);
    let before = rss_kib(server.pid());
    let mut stream = server.connect();
    stream
        .write_all(b"GET /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let body_at = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert!(response[..body_at].starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(
        response[body_at..] == pattern[..],
        "the body differs from the file"
    );
    let grown = rss_kib(server.pid()).saturating_sub(before);
    // sendfile(2) copies inside the kernel: the server never holds the file.
    assert!(grown < 8 * 1024, "the server grew by {grown} KiB");
}

// Each test above, against each design of the server.
every_design!(
    pipelined_requests_are_answered_in_order,
    http_1_0_keeps_the_connection_only_when_asked,
    etag_and_last_modified_give_304,
    a_single_range_gets_206_and_an_unsatisfiable_one_416,
    directories_serve_index_html_or_404_never_a_listing,
    precompressed_files_are_served_to_clients_that_accept_gzip,
    a_large_file_streams_without_being_loaded_into_memory,
);
