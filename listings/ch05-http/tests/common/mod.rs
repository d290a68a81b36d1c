//! Helpers for the chapter's tests: a site to serve, a small response
//! reader, and the checks every error test repeats.
#![allow(dead_code)] // each test file uses a different part of this module

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use harness::{DEADLINE, Normalizer, Server};
use tempfile::TempDir;

pub const SECRET: &str = "TOP SECRET: outside the root";
pub const HELLO: &str = "Hello from a file!\n";

/// The chapter's demo site, shipped in `listings/ch05-http/public`.
pub fn public_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("public")
}

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

pub fn start(site: &Site, timeout_secs: &str) -> Server {
    Server::start(
        env!("CARGO_BIN_EXE_http_server"),
        &[&site.root_arg(), timeout_secs],
    )
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
/// response to HEAD, for 1xx and for 204.
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
    if !to_head && status >= 200 && status != 204 {
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

/// Sends `request` on a new connection and reads until the server closes it.
pub fn exchange(server: &Server, request: &[u8]) -> Vec<u8> {
    let mut stream = server.connect();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    response
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

/// Reads server log lines until one contains `needle`; returns them all.
#[track_caller]
pub fn lines_until(server: &mut Server, needle: &str) -> Vec<String> {
    let mut lines = Vec::new();
    loop {
        let line = server.next_line(DEADLINE);
        let done = line.contains(needle);
        lines.push(line);
        if done {
            return lines;
        }
    }
}

/// Shows every client port in a server log as 50001, 50002, … in order of
/// appearance, and the server's port as 8080.
///
/// Client ports are ephemeral, so one of them may well be 50002: each port
/// first becomes a placeholder that no port can match, then its number, or
/// a later port could rename an earlier one's replacement.
pub fn normalise_log(server: &Server, log: &str) -> String {
    let text = Normalizer::new()
        .port(server.addr().port(), "8080")
        .apply(log);
    let ports = client_ports(&text);
    let placeholders = ports
        .iter()
        .enumerate()
        .fold(Normalizer::new(), |norm, (index, &port)| {
            norm.port(port, &format!("client{index}_"))
        });
    let numbers = (0..ports.len()).fold(Normalizer::new(), |norm, index| {
        norm.replace(&format!(":client{index}_"), &format!(":{}", 50001 + index))
    });
    numbers.apply(&placeholders.apply(&text))
}

/// The ports after "from 127.0.0.1:" in order of first appearance.
fn client_ports(text: &str) -> Vec<u16> {
    let mut ports = Vec::new();
    for piece in text.split("from 127.0.0.1:").skip(1) {
        let digits: String = piece.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(port) = digits.parse::<u16>()
            && !ports.contains(&port)
        {
            ports.push(port);
        }
    }
    ports
}

/// Rewrites what changes between runs in a response head as curl or
/// http_get prints it: dates, and CRs (a terminal does not show them).
pub fn normalise_response(server_port: u16, text: &str) -> String {
    Normalizer::new()
        .port(server_port, "8080")
        .replace(
            r"(?m)^(Date|Last-Modified): .*$",
            "$1: Sat, 01 Aug 2026 09:30:00 GMT",
        )
        .replace(r"Python/\d+\.\d+\.\d+", "Python/3.x")
        .replace("\r", "")
        .apply(text)
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
