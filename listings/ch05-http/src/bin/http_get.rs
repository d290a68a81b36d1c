//! `http_get URL`: send one GET request over a TcpStream and print the
//! response: status line, headers, an empty line, then the body.

use std::env;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::Duration;

/// The most bytes a response head may have; a server that sends more is
/// refused rather than buffered.
const MAX_HEAD: u64 = 64 * 1024;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let [url] = args.as_slice() else {
        eprintln!("usage: http_get http://HOST[:PORT][/PATH]");
        return ExitCode::from(2);
    };
    match get(url) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("http_get: {url}: {err}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: request
fn get(url: &str) -> io::Result<()> {
    let (authority, path) = split_url(url)?;
    // `Host` names the server as the URL did; the port defaults to 80.
    let has_port = authority
        .rsplit_once(':')
        .is_some_and(|(_, port)| port.bytes().all(|byte| byte.is_ascii_digit()));
    let addr = if has_port {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let stream = TcpStream::connect(&addr)?;
    // A server that stops talking must not hang the client forever.
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;

    let request = format!(
        "GET {path} HTTP/1.1\r\n\
         Host: {authority}\r\n\
         User-Agent: http_get/0.1\r\n\
         Accept: */*\r\n\
         Connection: close\r\n\
         \r\n"
    );
    (&stream).write_all(request.as_bytes())?;
    read_response(&stream)
}
// ANCHOR_END: request

// ANCHOR: response
/// Prints the response: every head, then the body.
fn read_response(stream: &TcpStream) -> io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut stdout = io::stdout().lock();
    // Interim responses (1xx, such as 103 Early Hints) come before the
    // real one: print them and read on.
    let (status, headers) = loop {
        let (status, headers) = read_head(&mut reader, &mut stdout)?;
        if !(100..200).contains(&status) {
            break (status, headers);
        }
    };

    let header = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    };
    if header("Transfer-Encoding").is_some() {
        return Err(io::Error::other(
            "Transfer-Encoding is not supported by this client",
        ));
    }
    if status == 204 || status == 304 {
        return Ok(()); // these responses never have a body
    }
    match header("Content-Length") {
        // Exactly that many bytes follow; the connection may stay open.
        Some(length) => {
            let length: u64 = length
                .parse()
                .map_err(|_| io::Error::other(format!("bad Content-Length: {length}")))?;
            let copied = io::copy(&mut reader.take(length), &mut stdout)?;
            if copied < length {
                return Err(io::Error::other(format!(
                    "connection closed after {copied} of {length} body bytes"
                )));
            }
        }
        // No length: the body ends when the server closes the connection.
        None => {
            io::copy(&mut reader, &mut stdout)?;
        }
    }
    Ok(())
}
// ANCHOR_END: response

// ANCHOR: read_head
/// Reads a status line and header lines up to the empty line, prints them
/// without their CRLFs, and returns the status code and the headers.
fn read_head(
    reader: &mut impl BufRead,
    out: &mut impl Write,
) -> io::Result<(u16, Vec<(String, String)>)> {
    let mut head = reader.take(MAX_HEAD);
    let mut status = None;
    let mut headers = Vec::new();
    loop {
        let mut line = Vec::new();
        if head.read_until(b'\n', &mut line)? == 0 || !line.ends_with(b"\n") {
            return Err(if head.limit() == 0 {
                io::Error::other("response head larger than 64 KiB")
            } else {
                io::Error::new(io::ErrorKind::UnexpectedEof, "response head cut short")
            });
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        writeln!(out, "{line}")?;
        if line.is_empty() {
            break;
        }
        if status.is_none() {
            // "HTTP/1.1 200 OK": version, code, reason phrase.
            let mut parts = line.splitn(3, ' ');
            let code = match (parts.next(), parts.next()) {
                (Some(version), Some(code)) if version.starts_with("HTTP/") => code.parse().ok(),
                _ => None,
            };
            let code = code.ok_or_else(|| io::Error::other("malformed status line"))?;
            status = Some(code);
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.to_owned(), value.trim().to_owned()));
        } else {
            return Err(io::Error::other("malformed header line"));
        }
    }
    // An empty first line means there was no status line at all.
    let status = status.ok_or_else(|| io::Error::other("no status line"))?;
    Ok((status, headers))
}
// ANCHOR_END: read_head

// ANCHOR: split_url
/// `http://host:port/path?query` → (`host:port`, `/path?query`).
fn split_url(url: &str) -> io::Result<(&str, &str)> {
    let invalid = |why: &str| io::Error::new(io::ErrorKind::InvalidInput, why.to_owned());
    let Some(rest) = url.strip_prefix("http://") else {
        return Err(invalid("only http:// URLs are supported (https needs TLS)"));
    };
    // These bytes go into the request verbatim: no spaces, no CR or LF.
    if rest.bytes().any(|byte| byte <= b' ' || byte == 0x7f) {
        return Err(invalid(
            "spaces and control characters must be percent-encoded",
        ));
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, "/"),
    };
    if authority.is_empty() {
        return Err(invalid("no host in URL"));
    }
    Ok((authority, path))
}
// ANCHOR_END: split_url
