//! Chapter 5's whole bad-input table (Table 5-3): every kind of bad input
//! gets its status, and the server keeps serving: after each case a new
//! connection gets a good answer, and where the connection stays open, a
//! good request on it does too. [`bad_input_tests!`](crate::bad_input_tests)
//! makes each function here a `#[test]` against one server.

use harness::Server;

use crate::{Client, HELLO, Response, SECRET, Site, assert_still_serving, get, site};

/// The server under test, and the two places where servers rightly differ.
pub struct Spec {
    /// The server's binary, started as `BIN 127.0.0.1:0 ROOT ARGS…`.
    pub bin: &'static str,
    pub args: &'static [&'static str],
    /// The `Allow` header of a 405.
    pub allow: &'static str,
    /// Whether POST is served (chapter 5 echoes the body) or refused.
    pub takes_posts: bool,
}

impl Spec {
    fn start(&self, site: &Site) -> Server {
        let root = site.root_arg();
        let mut args = vec![root.as_str()];
        args.extend_from_slice(self.args);
        Server::start(self.bin, &args)
    }
}

/// Whether the server ends the connection after its answer.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Then {
    Closes,
    KeepsOpen,
}

#[track_caller]
fn check(server: &Server, request: &[u8], status: u16, then: Then) -> Response {
    let shown = String::from_utf8_lossy(&request[..request.len().min(80)]).into_owned();
    let mut client = Client::new(server);
    client.send(request);
    let response = client.response();
    assert_eq!(response.status, status, "{shown:?}: {response:?}");
    assert!(
        !response.text().contains(SECRET),
        "{shown:?} leaked the secret"
    );
    match then {
        Then::Closes => {
            assert_eq!(response.header("Connection"), Some("close"), "{shown:?}");
            client.assert_closed();
        }
        Then::KeepsOpen => {
            assert_eq!(response.header("Connection"), None, "{shown:?}");
            client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
            assert_eq!(client.response().text(), HELLO, "{shown:?}");
        }
    }
    assert_still_serving(server);
    response
}

pub fn malformed_request_lines_and_headers_get_400_and_close(spec: &Spec) {
    let site = site();
    let server = spec.start(&site);
    let cases: &[&[u8]] = &[
        b"GET /\r\n\r\n",
        b"GET  / HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET / HTTP/1.1 extra\r\nHost: t\r\n\r\n",
        b"GET / http/1.1\r\nHost: t\r\n\r\n",
        b"G@T / HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET /a\x01b HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost t\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost : t\r\n\r\n",
        // Obsolete line folding, with a space and with a tab: the server
        // refuses it rather than unfolding it (RFC 9112, 5.2 allows both).
        b"GET / HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n b\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n\tb\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\x00\r\n\r\n",
        b"GET / HTTP/1.1\rHost: t\r\n\r\n",
        b"GET / HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: ten\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        // Without a final `chunked`, nothing says where the body ends.
        b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\nxyz",
        b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        // The connection ends in the middle of the head.
        b"GET / HTTP/1.1\r\nHost: t\r\n",
    ];
    for request in cases {
        if request.ends_with(b"Host: t\r\n") {
            // Half-close: the server sees end of stream inside the head.
            let mut client = Client::new(&server);
            client.send(request);
            client.stream.shutdown(std::net::Shutdown::Write).unwrap();
            assert_eq!(client.response().status, 400);
            client.assert_closed();
            assert_still_serving(&server);
        } else {
            check(&server, request, 400, Then::Closes);
        }
    }
}

pub fn bad_targets_get_400_and_the_connection_stays_open(spec: &Spec) {
    let site = site();
    let server = spec.start(&site);
    for request in [
        &b"GET hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"[..],
        b"GET * HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET /%zz HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET /hello%2 HTTP/1.1\r\nHost: t\r\n\r\n",
    ] {
        check(&server, request, 400, Then::KeepsOpen);
    }
}

pub fn paths_that_escape_the_root_are_refused_and_never_served(spec: &Spec) {
    let site = site();
    let server = spec.start(&site);
    for path in [
        "/../secret.txt",
        "/docs/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/docs/..%2F..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/./hello.txt",
        "/hello.txt%00.png",
        "http://t/../secret.txt",
        // Symbolic links whose target lies outside the root.
        "/escape.txt",
        "/escape-absolute.txt",
        "/outside-link/secret.txt",
        // A FIFO: opening it must not hang the thread, nor be served.
        "/fifo",
    ] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n");
        check(&server, request.as_bytes(), 403, Then::KeepsOpen);
    }
    // An absolute path is a path below the root, where there is no /etc.
    let response = check(
        &server,
        b"GET //etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n",
        404,
        Then::KeepsOpen,
    );
    assert!(!response.text().contains("root:"));
    let real = get(&server, "/%2fetc%2fpasswd");
    assert_eq!(real.status, 403);
}

pub fn a_directory_redirect_never_points_to_another_host(spec: &Spec) {
    let site = site();
    let server = spec.start(&site);
    // Echoed back, `//docs/` would be a link to the host `docs`.
    for target in ["//docs", "http://t//docs"] {
        let request = format!("GET {target} HTTP/1.1\r\nHost: t\r\n\r\n");
        let response = check(&server, request.as_bytes(), 301, Then::KeepsOpen);
        assert_eq!(response.header("Location"), Some("/docs/"), "{target}");
    }
}

pub fn methods_http_defines_but_this_server_refuses_get_405_with_allow(spec: &Spec) {
    let site = site();
    let server = spec.start(&site);
    for request in [
        // The body is read and discarded, so the next request parses.
        &b"PUT /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 7\r\n\r\nchanged"[..],
        b"DELETE /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n",
        b"PATCH /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx",
        b"TRACE / HTTP/1.1\r\nHost: t\r\n\r\n",
        b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    ] {
        let response = check(&server, request, 405, Then::KeepsOpen);
        assert_eq!(response.header("Allow"), Some(spec.allow));
    }
    if !spec.takes_posts {
        // A static file server takes no uploads.
        let post = b"POST /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc";
        let response = check(&server, post, 405, Then::KeepsOpen);
        assert_eq!(response.header("Allow"), Some(spec.allow));
    }
    // Nothing was changed or deleted.
    assert_eq!(get(&server, "/hello.txt").text(), HELLO);
}

pub fn unknown_methods_get_501(spec: &Spec) {
    let site = site();
    let server = spec.start(&site);
    for method in ["BREW", "FOO", "get"] {
        let request = format!("{method} / HTTP/1.1\r\nHost: t\r\n\r\n");
        check(&server, request.as_bytes(), 501, Then::KeepsOpen);
    }
}

pub fn chunked_request_bodies_get_501_and_close(spec: &Spec) {
    let site = site();
    let server = spec.start(&site);
    check(
        &server,
        b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        501,
        Then::Closes,
    );
}

pub fn oversized_heads_get_431_or_414_and_close(spec: &Spec) {
    let site = site();
    let server = spec.start(&site);
    // One header line over 8 KiB.
    let long_line = format!(
        "GET / HTTP/1.1\r\nHost: t\r\nX: {}\r\n\r\n",
        "a".repeat(9000)
    );
    // 101 headers, each small.
    let many: String = (0..101).map(|i| format!("X-{i}: {i}\r\n")).collect();
    let many = format!("GET / HTTP/1.1\r\nHost: t\r\n{many}\r\n");
    // Five lines of 7 KiB: each fits, together they pass 32 KiB.
    let big: String = (0..5)
        .map(|i| format!("X-{i}: {}\r\n", "a".repeat(7000)))
        .collect();
    let big = format!("GET / HTTP/1.1\r\nHost: t\r\n{big}\r\n");
    for request in [long_line, many, big] {
        check(&server, request.as_bytes(), 431, Then::Closes);
    }
    let long_target = format!("GET /{} HTTP/1.1\r\nHost: t\r\n\r\n", "a".repeat(9000));
    check(&server, long_target.as_bytes(), 414, Then::Closes);
}

pub fn a_header_section_just_under_the_limits_is_accepted(spec: &Spec) {
    let site = site();
    let server = spec.start(&site);
    let headers: String = (0..4)
        .map(|i| format!("X-{i}: {}\r\n", "a".repeat(7000)))
        .collect();
    let request = format!("GET /hello.txt HTTP/1.1\r\nHost: t\r\n{headers}\r\n");
    check(&server, request.as_bytes(), 200, Then::KeepsOpen);
}

pub fn an_oversized_body_gets_413_and_close(spec: &Spec) {
    let site = site();
    let server = spec.start(&site);
    // The client announces 2 MiB and sends the first 64 KiB of it.
    let mut request =
        b"POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 2097152\r\n\r\n".to_vec();
    request.extend(std::iter::repeat_n(b'x', 64 * 1024));
    check(&server, &request, 413, Then::Closes);
    // Exactly 1 MiB is still read: chapter 5's server echoes it, a static
    // file server throws it away and refuses the POST; either way the
    // request after it on the same connection is answered.
    let mut request =
        b"POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1048576\r\n\r\n".to_vec();
    request.extend(std::iter::repeat_n(b'x', 1024 * 1024));
    if spec.takes_posts {
        let response = check(&server, &request, 200, Then::KeepsOpen);
        assert_eq!(response.body.len(), 1024 * 1024);
    } else {
        check(&server, &request, 405, Then::KeepsOpen);
    }
}

pub fn other_http_versions_get_505_and_close(spec: &Spec) {
    let site = site();
    let server = spec.start(&site);
    for request in [
        &b"GET / HTTP/2.0\r\nHost: t\r\n\r\n"[..],
        b"GET / HTTP/3\r\nHost: t\r\n\r\n",
        b"GET / HTTP/0.9\r\n\r\n",
        // What an HTTP/2 client sends first when it assumes HTTP/2.
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    ] {
        check(&server, request, 505, Then::Closes);
    }
    // HTTP/1.2 does not exist, but a 1.x server serves it as 1.1.
    check(
        &server,
        b"GET /hello.txt HTTP/1.2\r\nHost: t\r\n\r\n",
        200,
        Then::KeepsOpen,
    );
}

/// One `#[test]` for each check of this module, against the server
/// `$spec` (a [`Spec`]) describes.
#[macro_export]
macro_rules! bad_input_tests {
    ($spec:expr) => {
        #[test]
        fn malformed_request_lines_and_headers_get_400_and_close() {
            $crate::bad_input::malformed_request_lines_and_headers_get_400_and_close(&$spec);
        }
        #[test]
        fn bad_targets_get_400_and_the_connection_stays_open() {
            $crate::bad_input::bad_targets_get_400_and_the_connection_stays_open(&$spec);
        }
        #[test]
        fn paths_that_escape_the_root_are_refused_and_never_served() {
            $crate::bad_input::paths_that_escape_the_root_are_refused_and_never_served(&$spec);
        }
        #[test]
        fn a_directory_redirect_never_points_to_another_host() {
            $crate::bad_input::a_directory_redirect_never_points_to_another_host(&$spec);
        }
        #[test]
        fn methods_http_defines_but_this_server_refuses_get_405_with_allow() {
            $crate::bad_input::methods_http_defines_but_this_server_refuses_get_405_with_allow(
                &$spec,
            );
        }
        #[test]
        fn unknown_methods_get_501() {
            $crate::bad_input::unknown_methods_get_501(&$spec);
        }
        #[test]
        fn chunked_request_bodies_get_501_and_close() {
            $crate::bad_input::chunked_request_bodies_get_501_and_close(&$spec);
        }
        #[test]
        fn oversized_heads_get_431_or_414_and_close() {
            $crate::bad_input::oversized_heads_get_431_or_414_and_close(&$spec);
        }
        #[test]
        fn a_header_section_just_under_the_limits_is_accepted() {
            $crate::bad_input::a_header_section_just_under_the_limits_is_accepted(&$spec);
        }
        #[test]
        fn an_oversized_body_gets_413_and_close() {
            $crate::bad_input::an_oversized_body_gets_413_and_close(&$spec);
        }
        #[test]
        fn other_http_versions_get_505_and_close() {
            $crate::bad_input::other_http_versions_get_505_and_close(&$spec);
        }
    };
}
