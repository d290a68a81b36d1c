//! Helpers for the chapter's tests: the site, client and checks shared
//! with chapter 15 (`http-suite`), and what only this chapter needs.
#![allow(dead_code, unused_imports)] // each test file uses a different part of this module

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use harness::{DEADLINE, Normalizer, Server};
pub use http_suite::{
    Client, HELLO, Response, SECRET, Site, assert_still_serving, get, program, read_response, site,
};

/// The chapter's demo site, shipped in `listings/ch05-http/public`.
pub fn public_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("public")
}

pub fn start(site: &Site, timeout_secs: &str) -> Server {
    Server::start(
        env!("CARGO_BIN_EXE_http_server"),
        &[&site.root_arg(), timeout_secs],
    )
}

/// Sends `request` on a new connection and reads until the server closes it.
pub fn exchange(server: &Server, request: &[u8]) -> Vec<u8> {
    let mut stream = server.connect();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    response
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
