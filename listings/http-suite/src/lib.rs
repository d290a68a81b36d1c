//! What chapter 5's `http_server` and the four designs of chapter 15's
//! static-file server are tested with: a site whose root has traps around
//! it (files outside, symbolic links that lead out, a FIFO), a small HTTP
//! client that reads one response at a time, and chapter 5's whole
//! bad-input table ([`bad_input`]), which every one of those servers must
//! pass.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::symlink;
use std::path::PathBuf;
use std::process::Command;

use harness::Server;
use tempfile::TempDir;

pub mod bad_input;

pub const SECRET: &str = "TOP SECRET: outside the root";
pub const HELLO: &str = "Hello from a file!\n";

/// A temporary site: `public/` is the root, and next to it lie files the
/// server must never serve.
pub struct Site {
    pub dir: TempDir,
}

impl Site {
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn root_arg(&self) -> String {
        self.root()
            .to_str()
            .expect("temp paths are UTF-8")
            .to_owned()
    }
}

pub fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("public");
    let write = |name: &str, bytes: &[u8]| {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    };
    write(
        "index.html",
        b"<!DOCTYPE html><title>home</title><p>home</p>\n",
    );
    write("hello.txt", HELLO.as_bytes());
    write("style.css", b"body { margin: 0 }\n");
    write("app.js", b"console.log('hi');\n");
    write("data.json", b"{\"ok\": true}\n");
    write("logo.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    write("pixel.png", b"\x89PNG\r\n\x1a\n");
    write("notes.xyz", b"unknown type\n");
    write("a b.txt", b"a file with a space\n");
    write("café.txt", b"utf-8 name\n");
    write("docs/index.html", b"<p>docs</p>\n");
    write("docs/guide.txt", b"guide\n");
    fs::create_dir_all(root.join("empty")).unwrap();
    // Outside the root.
    fs::write(dir.path().join("secret.txt"), SECRET).unwrap();
    fs::create_dir_all(dir.path().join("outside")).unwrap();
    fs::write(dir.path().join("outside/secret.txt"), SECRET).unwrap();
    // Symbolic links inside the root: two stay inside, three lead out.
    symlink("hello.txt", root.join("inside-link.txt")).unwrap();
    symlink("docs", root.join("docs-link")).unwrap();
    symlink("../secret.txt", root.join("escape.txt")).unwrap();
    symlink(
        dir.path().join("secret.txt"),
        root.join("escape-absolute.txt"),
    )
    .unwrap();
    symlink("../outside", root.join("outside-link")).unwrap();
    nix::unistd::mkfifo(&root.join("fifo"), nix::sys::stat::Mode::S_IRWXU).unwrap();
    Site { dir }
}

/// A response as a test sees it.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub status_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Reads one response. The body is `Content-Length` bytes, none for a
/// response to HEAD, for 1xx, 204 and 304.
#[track_caller]
pub fn read_response(reader: &mut impl BufRead, to_head: bool) -> Response {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        let n = reader
            .read_line(&mut line)
            .expect("reading a response head");
        assert!(
            n > 0,
            "connection closed before a complete response head: {lines:?}"
        );
        assert!(line.ends_with("\r\n"), "a line without CRLF: {line:?}");
        let line = line.trim_end_matches("\r\n").to_owned();
        if line.is_empty() {
            break;
        }
        lines.push(line);
    }
    let status_line = lines.remove(0);
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .iter()
        .map(|line| {
            let (name, value) = line.split_once(": ").expect("name: value");
            (name.to_owned(), value.to_owned())
        })
        .collect();
    let mut response = Response {
        status,
        status_line,
        headers,
        body: Vec::new(),
    };
    if !to_head && status >= 200 && status != 204 && status != 304 {
        let length: u64 = response
            .header("Content-Length")
            .expect("every response of this server has a Content-Length")
            .parse()
            .unwrap();
        reader.take(length).read_to_end(&mut response.body).unwrap();
        assert_eq!(response.body.len() as u64, length, "body cut short");
    }
    response
}

/// A connection to `server` with a buffered reader.
pub struct Client {
    pub stream: TcpStream,
    pub reader: BufReader<TcpStream>,
}

impl Client {
    pub fn new(server: &Server) -> Client {
        let stream = server.connect();
        let reader = BufReader::new(stream.try_clone().unwrap());
        Client { stream, reader }
    }

    pub fn send(&mut self, raw: &[u8]) {
        self.stream.write_all(raw).unwrap();
    }

    #[track_caller]
    pub fn response(&mut self) -> Response {
        read_response(&mut self.reader, false)
    }

    #[track_caller]
    pub fn head_response(&mut self) -> Response {
        read_response(&mut self.reader, true)
    }

    /// Asserts that the server closed the connection: the next read sees
    /// end of stream (within the harness deadline), with no stray bytes.
    #[track_caller]
    pub fn assert_closed(&mut self) {
        let mut rest = Vec::new();
        self.reader
            .read_to_end(&mut rest)
            .expect("the server closes the connection");
        assert_eq!(
            String::from_utf8_lossy(&rest),
            "",
            "bytes after the response"
        );
    }
}

/// GET `path` on a new connection, with `Connection: close`.
#[track_caller]
pub fn get(server: &Server, path: &str) -> Response {
    let mut client = Client::new(server);
    client
        .send(format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").as_bytes());
    let response = client.response();
    client.assert_closed();
    response
}

/// The server answers a good request after whatever came before.
#[track_caller]
pub fn assert_still_serving(server: &Server) {
    let response = get(server, "/hello.txt");
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), HELLO);
}

/// The path of a program, or `None` (and a note on stderr) if it is not
/// installed: the interoperability tests skip what the machine lacks.
pub fn program(name: &str) -> Option<PathBuf> {
    let output = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .ok()?;
    if output.status.success() {
        let path = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        Some(PathBuf::from(path))
    } else {
        eprintln!("skipping: {name} is not installed");
        None
    }
}
