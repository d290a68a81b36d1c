//! Listings 5-12 to 5-21: the static file server's normal behaviour.
mod common;

use std::thread;

use common::{Client, HELLO, SECRET, get, lines_until, site, start};

#[test]
fn serves_a_file_with_its_type_and_length() {
    let site = site();
    let server = start(&site, "5");
    let response = get(&server, "/hello.txt");
    assert_eq!(response.status_line, "HTTP/1.1 200 OK");
    assert_eq!(
        response.header("Content-Type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(response.header("Content-Length"), Some("19"));
    assert_eq!(response.header("Connection"), Some("close"));
    assert_eq!(response.header("Server"), Some("ch05-http"));
    let date = response.header("Date").expect("a Date header");
    assert!(date.ends_with(" GMT") && date.len() == 29, "{date}");
    assert_eq!(response.text(), HELLO);
}

#[test]
fn content_type_follows_the_file_extension() {
    let site = site();
    let server = start(&site, "5");
    for (path, kind) in [
        ("/index.html", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/data.json", "application/json"),
        ("/logo.svg", "image/svg+xml"),
        ("/pixel.png", "image/png"),
        ("/notes.xyz", "application/octet-stream"),
    ] {
        let response = get(&server, path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("Content-Type"), Some(kind), "{path}");
        let on_disk = std::fs::read(site.root().join(&path[1..])).unwrap();
        assert_eq!(response.body, on_disk, "{path}");
    }
}

#[test]
fn percent_encoded_names_and_queries_are_decoded() {
    let site = site();
    let server = start(&site, "5");
    assert_eq!(get(&server, "/a%20b.txt").text(), "a file with a space\n");
    assert_eq!(get(&server, "/caf%C3%A9.txt").text(), "utf-8 name\n");
    assert_eq!(get(&server, "/hello.txt?v=2").text(), HELLO);
    // The absolute form, which clients send to proxies.
    assert_eq!(get(&server, "http://example.com/hello.txt").text(), HELLO);
}

#[test]
fn directories_redirect_to_a_trailing_slash_then_serve_index_html() {
    let site = site();
    let server = start(&site, "5");
    let home = get(&server, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("<p>home</p>"));

    let redirect = get(&server, "/docs");
    assert_eq!(redirect.status_line, "HTTP/1.1 301 Moved Permanently");
    assert_eq!(redirect.header("Location"), Some("/docs/"));
    assert_eq!(get(&server, "/docs/").text(), "<p>docs</p>\n");
    // No index.html, and this server does not list directories.
    assert_eq!(get(&server, "/empty/").status, 404);
    assert_eq!(get(&server, "/missing.txt").status, 404);
}

#[test]
fn symlinks_inside_the_root_are_followed() {
    let site = site();
    let server = start(&site, "5");
    assert_eq!(get(&server, "/inside-link.txt").text(), HELLO);
    assert_eq!(get(&server, "/docs-link/guide.txt").text(), "guide\n");
}

#[test]
fn head_sends_the_get_headers_without_the_body() {
    let site = site();
    let server = start(&site, "5");
    let mut client = Client::new(&server);
    // Pipelined: if HEAD's answer carried a body, the GET's status line
    // would not come next.
    client.send(
        b"HEAD /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n\
          GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    );
    let head = client.head_response();
    let get = client.response();
    client.assert_closed();
    assert_eq!(head.status, 200);
    assert_eq!(head.header("Content-Length"), Some("19"));
    assert_eq!(head.header("Content-Type"), get.header("Content-Type"));
    assert_eq!(head.header("Content-Length"), get.header("Content-Length"));
    assert_eq!(get.text(), HELLO);
}

#[test]
fn http_1_1_keeps_the_connection_open_between_requests() {
    let site = site();
    let mut server = start(&site, "5");
    let mut client = Client::new(&server);
    for path in ["/hello.txt", "/style.css", "/missing"] {
        client.send(format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes());
        let response = client.response();
        assert_eq!(response.header("Connection"), None);
    }
    let log = lines_until(&mut server, "GET /missing");
    assert_eq!(
        log.iter().filter(|line| line.contains("open from")).count(),
        1,
        "{log:?}"
    );
    assert!(log.last().unwrap().ends_with("-> 404 Not Found"));
    // And the client may still close it whenever it likes.
    drop(client);
    lines_until(&mut server, "conn 1: closed (client closed)");
}

#[test]
fn connection_close_is_honoured() {
    let site = site();
    let server = start(&site, "5");
    let mut client = Client::new(&server);
    client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    assert_eq!(client.response().header("Connection"), Some("close"));
    client.assert_closed();
}

#[test]
fn http_1_0_closes_unless_the_client_asks_for_keep_alive() {
    let site = site();
    let server = start(&site, "5");
    let mut client = Client::new(&server);
    client.send(b"GET /hello.txt HTTP/1.0\r\n\r\n");
    let response = client.response();
    // The server answers in its own version, 1.1, to a 1.0 client.
    assert_eq!(response.status_line, "HTTP/1.1 200 OK");
    assert_eq!(response.header("Connection"), Some("close"));
    client.assert_closed();

    let mut client = Client::new(&server);
    for _ in 0..2 {
        client.send(b"GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        let response = client.response();
        assert_eq!(response.header("Connection"), Some("keep-alive"));
        assert_eq!(response.text(), HELLO);
    }
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let site = site();
    let server = start(&site, "5");
    let mut client = Client::new(&server);
    client.send(
        b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n\
          GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n\
          GET /data.json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(client.response().text(), HELLO);
    assert_eq!(client.response().text(), "body { margin: 0 }\n");
    assert_eq!(client.response().text(), "{\"ok\": true}\n");
    client.assert_closed();
}

#[test]
fn post_echoes_the_body_and_the_connection_stays_usable() {
    let site = site();
    let server = start(&site, "5");
    let mut client = Client::new(&server);
    // The body arrives in two writes; the server reads Content-Length bytes.
    client.send(b"POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\n");
    client.send(b"Content-Length: 11\r\n\r\nhello");
    client.send(b" world");
    let response = client.response();
    assert_eq!(response.status, 200);
    assert_eq!(response.header("Content-Type"), Some("text/plain"));
    assert_eq!(response.text(), "hello world");
    client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(client.response().text(), HELLO);
}

#[test]
fn expect_100_continue_gets_an_interim_response_before_the_body() {
    let site = site();
    let server = start(&site, "5");
    let mut client = Client::new(&server);
    client.send(
        b"POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n",
    );
    // The client sends nothing more until the server says go on.
    let interim = client.head_response();
    assert_eq!(interim.status_line, "HTTP/1.1 100 Continue");
    assert!(interim.headers.is_empty());
    client.send(b"data");
    let response = client.response();
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), "data");
}

#[test]
fn options_lists_the_allowed_methods() {
    let site = site();
    let server = start(&site, "5");
    for target in ["*", "/hello.txt"] {
        let mut client = Client::new(&server);
        client.send(format!("OPTIONS {target} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes());
        let response = client.response();
        assert_eq!(response.status_line, "HTTP/1.1 204 No Content");
        assert_eq!(response.header("Allow"), Some("GET, HEAD, POST, OPTIONS"));
        assert_eq!(response.header("Content-Length"), None);
    }
}

#[test]
fn many_clients_are_served_at_once() {
    let site = site();
    let server = start(&site, "5");
    // Eight clients each open a connection first, then all send: with one
    // thread per connection, none waits for another to finish.
    let mut clients: Vec<Client> = (0..8).map(|_| Client::new(&server)).collect();
    for client in &mut clients {
        client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    }
    thread::scope(|scope| {
        for client in &mut clients {
            scope.spawn(move || {
                for _ in 0..20 {
                    assert_eq!(client.response().text(), HELLO);
                    client.send(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
                }
                assert_eq!(client.response().text(), HELLO);
            });
        }
    });
}

#[test]
fn a_large_file_arrives_intact() {
    let site = site();
    let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(site.root().join("big.bin"), &bytes).unwrap();
    let server = start(&site, "5");
    let response = get(&server, "/big.bin");
    assert_eq!(response.header("Content-Length"), Some("3000000"));
    assert!(response.body == bytes, "the body differs from the file");
    // A secret never leaks into a normal response either.
    assert!(!response.text().contains(SECRET));
}
