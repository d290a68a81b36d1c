//! Code shared by the chapter's servers: reading an HTTP/1.1 request head
//! with hard limits, status codes, and writing a response head.

use std::fmt;
use std::io::{self, BufRead, Read};
use std::net::{Shutdown, TcpStream};

// ANCHOR: limits
/// How much of a request head the parser accepts. Every number bounds a
/// buffer whose size the client controls.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest request line or header line, without its CRLF.
    pub max_line: usize,
    /// Most header lines.
    pub max_headers: usize,
    /// Most bytes in the whole head: request line, headers and CRLFs.
    pub max_head: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_line: 8 * 1024,
        max_headers: 100,
        max_head: 32 * 1024,
    };
}
// ANCHOR_END: limits

// ANCHOR: types
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Http10,
    Http11,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub name: String,
    pub value: String,
}

/// A parsed request head. The body, if any, is still unread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub version: Version,
    pub headers: Vec<Header>,
    /// Length of the body that follows the head (0 if none).
    pub content_length: u64,
}

#[derive(Debug)]
pub enum ParseError {
    /// End of stream before the first byte of a request: the client is done.
    Closed,
    /// A read failed or timed out. `started` says whether any byte of this
    /// request had arrived.
    Io { error: io::Error, started: bool },
    /// Not a well-formed HTTP/1.x request (400).
    Malformed(&'static str),
    /// The request line is longer than `max_line` (414).
    UriTooLong,
    /// A header line, the number of headers or the whole head is over its
    /// limit (431).
    HeadersTooLarge(&'static str),
    /// A well-formed version other than HTTP/1.x (505).
    UnsupportedVersion,
    /// A `Transfer-Encoding` this parser does not decode (501).
    UnsupportedTransferCoding,
}
// ANCHOR_END: types

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Http10 => write!(f, "HTTP/1.0"),
            Version::Http11 => write!(f, "HTTP/1.1"),
        }
    }
}

impl ParseError {
    /// The status to answer with, or `None` when there is nobody to answer.
    pub fn status(&self) -> Option<Status> {
        match self {
            ParseError::Closed | ParseError::Io { .. } => None,
            ParseError::Malformed(_) => Some(Status::BAD_REQUEST),
            ParseError::UriTooLong => Some(Status::URI_TOO_LONG),
            ParseError::HeadersTooLarge(_) => Some(Status::HEADER_FIELDS_TOO_LARGE),
            ParseError::UnsupportedVersion => Some(Status::VERSION_NOT_SUPPORTED),
            ParseError::UnsupportedTransferCoding => Some(Status::NOT_IMPLEMENTED),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Closed => write!(f, "connection closed"),
            ParseError::Io { error, .. } => write!(f, "{error}"),
            ParseError::Malformed(why) => write!(f, "{why}"),
            ParseError::UriTooLong => write!(f, "request line too long"),
            ParseError::HeadersTooLarge(why) => write!(f, "{why}"),
            ParseError::UnsupportedVersion => write!(f, "HTTP version not supported"),
            ParseError::UnsupportedTransferCoding => write!(f, "transfer coding not supported"),
        }
    }
}

impl std::error::Error for ParseError {}

impl Request {
    /// The first value of header `name` (names are case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers_named(name).next()
    }

    /// Every value of header `name`, in order.
    pub fn headers_named<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> {
        self.headers
            .iter()
            .filter(move |header| header.name.eq_ignore_ascii_case(name))
            .map(|header| header.value.as_str())
    }

    /// Whether header `name` lists `token` (e.g. `Connection: keep-alive`).
    pub fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers_named(name)
            .flat_map(|value| value.split(','))
            .any(|item| item.trim().eq_ignore_ascii_case(token))
    }

    // ANCHOR: keep_alive
    /// Whether the connection stays open after the response: HTTP/1.1
    /// keeps it unless the client says `close`; HTTP/1.0 closes it unless
    /// the client asks for `keep-alive`.
    pub fn keep_alive(&self) -> bool {
        match self.version {
            Version::Http11 => !self.has_token("Connection", "close"),
            Version::Http10 => self.has_token("Connection", "keep-alive"),
        }
    }
    // ANCHOR_END: keep_alive
}

// ANCHOR: read_request
/// Reads one request head from `reader`: the request line, the header
/// lines and the empty line that ends them. Never buffers more than
/// `limits` allow, however long the lines the client sends.
pub fn read_request<R: BufRead>(reader: &mut R, limits: &Limits) -> Result<Request, ParseError> {
    let mut budget = limits.max_head;

    // A client may send empty lines before a request (RFC 9112, 2.2).
    let request_line = loop {
        match read_line(reader, limits.max_line, &mut budget) {
            Ok(line) if line.is_empty() => continue,
            Ok(line) => break line,
            Err(LineError::Eof { partial: false }) => return Err(ParseError::Closed),
            Err(LineError::Eof { partial: true }) => {
                return Err(ParseError::Malformed("request ended early"));
            }
            Err(LineError::TooLong) => return Err(ParseError::UriTooLong),
            Err(LineError::OverBudget) => {
                return Err(ParseError::HeadersTooLarge("request head too large"));
            }
            Err(LineError::BareCr) => return Err(ParseError::Malformed("bare CR in line")),
            Err(LineError::Io(error, partial)) => {
                return Err(ParseError::Io {
                    error,
                    started: partial,
                });
            }
        }
    };
    let (method, target, version) = parse_request_line(&request_line)?;

    let mut headers = Vec::new();
    loop {
        let line = match read_line(reader, limits.max_line, &mut budget) {
            Ok(line) => line,
            Err(LineError::Eof { .. }) => {
                return Err(ParseError::Malformed("request ended early"));
            }
            Err(LineError::TooLong) => return Err(ParseError::HeadersTooLarge("header too long")),
            Err(LineError::OverBudget) => {
                return Err(ParseError::HeadersTooLarge("request head too large"));
            }
            Err(LineError::BareCr) => return Err(ParseError::Malformed("bare CR in line")),
            Err(LineError::Io(error, _)) => {
                return Err(ParseError::Io {
                    error,
                    started: true,
                });
            }
        };
        if line.is_empty() {
            break; // the empty line: end of the head
        }
        if headers.len() == limits.max_headers {
            return Err(ParseError::HeadersTooLarge("too many headers"));
        }
        headers.push(parse_header(&line)?);
    }

    let mut request = Request {
        method,
        target,
        version,
        headers,
        content_length: 0,
    };
    check_host(&request)?;
    request.content_length = body_length(&request)?;
    Ok(request)
}
// ANCHOR_END: read_request

// ANCHOR: read_line
enum LineError {
    /// End of stream before a complete line; `partial` if part of one came.
    Eof { partial: bool },
    /// Longer than `max_line`.
    TooLong,
    /// Longer than what is left of the head's budget.
    OverBudget,
    /// A CR that is not part of the line's CRLF.
    BareCr,
    /// The read failed; `true` if part of the line had arrived.
    Io(io::Error, bool),
}

/// Reads one line ending in CRLF (or a bare LF, which RFC 9112 lets a server
/// accept) and returns it without the line ending. Reads at most
/// `max_line + 2` bytes and at most `budget` bytes, and takes what it read
/// from `budget`.
fn read_line<R: BufRead>(
    reader: &mut R,
    max_line: usize,
    budget: &mut usize,
) -> Result<Vec<u8>, LineError> {
    let cap = (max_line + 2).min(*budget);
    let mut line = Vec::new();
    // `take` makes `read_until` stop after `cap` bytes even if no LF comes.
    let read = reader.take(cap as u64).read_until(b'\n', &mut line);
    let n = read.map_err(|err| LineError::Io(err, !line.is_empty()))?;
    *budget -= n;
    if line.last() != Some(&b'\n') {
        return Err(match n {
            _ if n < cap => LineError::Eof { partial: n > 0 },
            _ if cap < max_line + 2 => LineError::OverBudget,
            _ => LineError::TooLong,
        });
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    if line.len() > max_line {
        return Err(LineError::TooLong);
    }
    if line.contains(&b'\r') {
        return Err(LineError::BareCr);
    }
    Ok(line)
}
// ANCHOR_END: read_line

// ANCHOR: request_line
/// `method SP request-target SP HTTP-version`, single spaces (RFC 9112, 3).
fn parse_request_line(line: &[u8]) -> Result<(String, String, Version), ParseError> {
    let mut parts = line.split(|&byte| byte == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ParseError::Malformed(
            "request line is not: method target version",
        ));
    };
    if method.is_empty() || !method.iter().all(|&byte| is_token_byte(byte)) {
        return Err(ParseError::Malformed("invalid method"));
    }
    // Visible ASCII only: no spaces, no control bytes, nothing non-ASCII
    // (a URI percent-encodes those). This also keeps CR and LF out of
    // anything the server echoes back in a header, such as `Location`.
    if target.is_empty() || !target.iter().all(|byte| (0x21..=0x7e).contains(byte)) {
        return Err(ParseError::Malformed("invalid request target"));
    }
    let version = parse_version(version)?;
    // Both parts are ASCII now, so these conversions cannot fail.
    let method = String::from_utf8_lossy(method).into_owned();
    let target = String::from_utf8_lossy(target).into_owned();
    Ok((method, target, version))
}

/// `HTTP/1.0` and `HTTP/1.1` are served. A higher 1.x is served as 1.1
/// (RFC 9110, 2.5); a well-formed other major version gets 505 (15.6.6).
fn parse_version(version: &[u8]) -> Result<Version, ParseError> {
    let Some(number) = version.strip_prefix(b"HTTP/") else {
        return Err(ParseError::Malformed("invalid HTTP version"));
    };
    match number {
        b"1.0" => Ok(Version::Http10),
        [b'1', b'.', minor] if minor.is_ascii_digit() => Ok(Version::Http11),
        [major, b'.', minor] if major.is_ascii_digit() && minor.is_ascii_digit() => {
            Err(ParseError::UnsupportedVersion)
        }
        // HTTP/2 and HTTP/3 are written without a minor version.
        [major] if major.is_ascii_digit() && *major != b'1' => Err(ParseError::UnsupportedVersion),
        _ => Err(ParseError::Malformed("invalid HTTP version")),
    }
}
// ANCHOR_END: request_line

// ANCHOR: header
/// `name: value` (RFC 9110, 5). The name is a token with no space before
/// the colon; spaces and tabs around the value are not part of it.
fn parse_header(line: &[u8]) -> Result<Header, ParseError> {
    if line.starts_with(b" ") || line.starts_with(b"\t") {
        // Obsolete line folding: a continuation of the previous header.
        return Err(ParseError::Malformed("folded header line"));
    }
    let Some(colon) = line.iter().position(|&byte| byte == b':') else {
        return Err(ParseError::Malformed("header without a colon"));
    };
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    if name.is_empty() || !name.iter().all(|&byte| is_token_byte(byte)) {
        return Err(ParseError::Malformed("invalid header name"));
    }
    let value = trim_whitespace(value);
    if value
        .iter()
        .any(|&byte| byte != b'\t' && (byte < 0x20 || byte == 0x7f))
    {
        return Err(ParseError::Malformed("control character in header value"));
    }
    let Ok(value) = String::from_utf8(value.to_vec()) else {
        return Err(ParseError::Malformed("header value is not UTF-8"));
    };
    Ok(Header {
        name: String::from_utf8_lossy(name).into_owned(),
        value,
    })
}

/// Strips the spaces and tabs around a header value (RFC 9110, 5.5).
fn trim_whitespace(mut value: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = value {
        value = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = value {
        value = rest;
    }
    value
}

/// The characters of a token (RFC 9110, 5.6.2): methods and header names.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}
// ANCHOR_END: header

// ANCHOR: framing
/// An HTTP/1.1 request must carry exactly one `Host`, and no request may
/// carry two or an invalid one (RFC 9112, 3.2).
fn check_host(request: &Request) -> Result<(), ParseError> {
    let hosts: Vec<&str> = request.headers_named("Host").collect();
    match (request.version, hosts.as_slice()) {
        (Version::Http11, []) => Err(ParseError::Malformed("missing Host header")),
        (_, []) => Ok(()),
        (_, [host]) if host.bytes().all(is_host_byte) => Ok(()),
        (_, [_]) => Err(ParseError::Malformed("invalid Host header")),
        _ => Err(ParseError::Malformed("more than one Host header")),
    }
}

/// The bytes of `host[:port]` (RFC 3986, 3.2.2): no spaces, `/`, `?` or `@`.
fn is_host_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=:[]".contains(&byte)
}

/// How long the body is (RFC 9112, 6.3). A body with a `Transfer-Encoding`
/// is refused: decoding `chunked` is left out of this chapter. A request
/// with both framings is refused as malformed, because a proxy and a server
/// that disagree about which one wins can be tricked into seeing two
/// different requests ("request smuggling").
fn body_length(request: &Request) -> Result<u64, ParseError> {
    let has_transfer_encoding = request.header("Transfer-Encoding").is_some();
    // Only a last coding of `chunked` marks where the body ends, and
    // HTTP/1.0 has no transfer codings at all (RFC 9112, 6.1 and 6.3).
    let ends_chunked = request
        .headers_named("Transfer-Encoding")
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|coding| !coding.is_empty())
        .last()
        .is_some_and(|coding| coding.eq_ignore_ascii_case("chunked"));
    let mut length = None;
    for value in request.headers_named("Content-Length") {
        if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(ParseError::Malformed("invalid Content-Length"));
        }
        let Ok(value) = value.parse::<u64>() else {
            return Err(ParseError::Malformed("invalid Content-Length"));
        };
        if length.is_some_and(|earlier| earlier != value) {
            return Err(ParseError::Malformed("conflicting Content-Length headers"));
        }
        length = Some(value);
    }
    match (has_transfer_encoding, length) {
        (true, Some(_)) => Err(ParseError::Malformed(
            "both Transfer-Encoding and Content-Length",
        )),
        (true, None) if ends_chunked && request.version == Version::Http11 => {
            Err(ParseError::UnsupportedTransferCoding)
        }
        (true, None) => Err(ParseError::Malformed(
            "Transfer-Encoding that does not frame the body",
        )),
        (false, length) => Ok(length.unwrap_or(0)),
    }
}
// ANCHOR_END: framing

// ANCHOR: status
/// A status code and its reason phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub code: u16,
    pub reason: &'static str,
}

impl Status {
    pub const CONTINUE: Status = Status::new(100, "Continue");
    pub const OK: Status = Status::new(200, "OK");
    pub const NO_CONTENT: Status = Status::new(204, "No Content");
    pub const MOVED_PERMANENTLY: Status = Status::new(301, "Moved Permanently");
    pub const BAD_REQUEST: Status = Status::new(400, "Bad Request");
    pub const FORBIDDEN: Status = Status::new(403, "Forbidden");
    pub const NOT_FOUND: Status = Status::new(404, "Not Found");
    pub const METHOD_NOT_ALLOWED: Status = Status::new(405, "Method Not Allowed");
    pub const REQUEST_TIMEOUT: Status = Status::new(408, "Request Timeout");
    pub const CONTENT_TOO_LARGE: Status = Status::new(413, "Content Too Large");
    pub const URI_TOO_LONG: Status = Status::new(414, "URI Too Long");
    pub const HEADER_FIELDS_TOO_LARGE: Status = Status::new(431, "Request Header Fields Too Large");
    pub const INTERNAL_SERVER_ERROR: Status = Status::new(500, "Internal Server Error");
    pub const NOT_IMPLEMENTED: Status = Status::new(501, "Not Implemented");
    pub const VERSION_NOT_SUPPORTED: Status = Status::new(505, "HTTP Version Not Supported");

    const fn new(code: u16, reason: &'static str) -> Status {
        Status { code, reason }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.reason)
    }
}
// ANCHOR_END: status

// ANCHOR: response_head
/// The status line and header lines of a response, with the empty line
/// that ends them. The server always speaks HTTP/1.1, also to an HTTP/1.0
/// client (RFC 9110, 6.2): the version says what the server can do.
pub fn response_head(status: Status, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}
// ANCHOR_END: response_head

// ANCHOR: close
/// Ends a connection after a response without losing that response.
///
/// Closing a socket that still holds unread request bytes makes the kernel
/// send a reset (RST), and a reset can discard the response before the
/// client reads it. So: send FIN with `shutdown(Write)`, then read and
/// discard what the client still sends, until it closes, the reader's
/// timeout expires or `max_bytes` have been thrown away.
pub fn close_gracefully(stream: &TcpStream, reader: &mut impl Read, max_bytes: u64) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = io::copy(&mut reader.take(max_bytes), &mut io::sink());
}
// ANCHOR_END: close

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8]) -> Result<Request, ParseError> {
        read_request(&mut &raw[..], &Limits::DEFAULT)
    }

    fn parse_with(raw: &[u8], limits: Limits) -> Result<Request, ParseError> {
        read_request(&mut &raw[..], &limits)
    }

    #[test]
    fn parses_request_line_and_headers() {
        let request = parse(
            b"GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\n\
              Accept-Encoding:   gzip \r\n\r\nrest",
        )
        .unwrap();
        assert_eq!(request.method, "GET");
        assert_eq!(request.target, "/index.html?q=1");
        assert_eq!(request.version, Version::Http11);
        assert_eq!(request.header("host"), Some("example.com"));
        assert_eq!(request.header("ACCEPT-ENCODING"), Some("gzip"));
        assert_eq!(request.content_length, 0);
    }

    #[test]
    fn stops_at_the_empty_line_and_leaves_the_body_unread() {
        let raw = b"POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET";
        let mut reader = &raw[..];
        let request = read_request(&mut reader, &Limits::DEFAULT).unwrap();
        assert_eq!(request.content_length, 5);
        assert_eq!(reader, b"helloGET");
    }

    #[test]
    fn accepts_bare_lf_and_leading_empty_lines() {
        let request = parse(b"\r\n\nHEAD / HTTP/1.0\nUser-Agent: x\n\n").unwrap();
        assert_eq!(request.method, "HEAD");
        assert_eq!(request.version, Version::Http10);
    }

    #[test]
    fn end_of_stream_before_a_request_is_a_clean_close() {
        assert!(matches!(parse(b""), Err(ParseError::Closed)));
        assert!(matches!(parse(b"\r\n"), Err(ParseError::Closed)));
    }

    #[test]
    fn end_of_stream_inside_a_request_is_malformed() {
        for raw in [&b"GET / HTTP/1.1"[..], b"GET / HTTP/1.1\r\nHost: h\r\n"] {
            assert!(
                matches!(parse(raw), Err(ParseError::Malformed(_))),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn malformed_requests_are_400() {
        let cases: &[&[u8]] = &[
            b"GET /\r\n\r\n",
            b"GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
            b"GET / HTTP/1.1 x\r\nHost: h\r\n\r\n",
            b"G(T / HTTP/1.1\r\nHost: h\r\n\r\n",
            b"GET /a\x01b HTTP/1.1\r\nHost: h\r\n\r\n",
            b"GET /\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n",
            b"GET / http/1.1\r\nHost: h\r\n\r\n",
            b"GET / HTTP/1\r\nHost: h\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost h\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost : h\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: h\x00\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: \xff\r\n\r\n",
            b"GET / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
            b"GET / HTTP/1.0\r\nHost: evil/x\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\
              Transfer-Encoding: chunked\r\n\r\n",
        ];
        for raw in cases {
            let err = parse(raw).unwrap_err();
            assert_eq!(
                err.status(),
                Some(Status::BAD_REQUEST),
                "{:?}: {err}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    #[test]
    fn obsolete_line_folding_is_refused_not_unfolded() {
        // RFC 9112, 5.2: a server may either refuse obs-fold with 400 or
        // replace it with spaces. This parser refuses it, after a space or
        // a tab, and for that reason rather than a missing colon.
        for fold in [&b" b: c"[..], b"\tb: c", b"  b"] {
            let mut raw = b"GET / HTTP/1.1\r\nHost: h\r\nX-Folded: a\r\n".to_vec();
            raw.extend_from_slice(fold);
            raw.extend_from_slice(b"\r\n\r\n");
            let err = parse(&raw).unwrap_err();
            assert!(
                matches!(err, ParseError::Malformed("folded header line")),
                "{fold:?}: {err}"
            );
            assert_eq!(err.status(), Some(Status::BAD_REQUEST));
        }
    }

    #[test]
    fn http_1_0_needs_no_host_and_equal_content_lengths_are_one() {
        let request =
            parse(b"POST / HTTP/1.0\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n").unwrap();
        assert_eq!(request.content_length, 3);
    }

    #[test]
    fn other_http_versions_are_505_and_higher_minor_is_1_1() {
        for version in ["HTTP/2.0", "HTTP/3", "HTTP/0.9", "HTTP/2"] {
            let raw = format!("GET / {version}\r\nHost: h\r\n\r\n");
            let err = parse(raw.as_bytes()).unwrap_err();
            assert_eq!(
                err.status(),
                Some(Status::VERSION_NOT_SUPPORTED),
                "{version}"
            );
        }
        let request = parse(b"GET / HTTP/1.2\r\nHost: h\r\n\r\n").unwrap();
        assert_eq!(request.version, Version::Http11);
    }

    #[test]
    fn chunked_bodies_are_501() {
        for coding in ["chunked", "gzip, CHUNKED"] {
            let raw = format!("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: {coding}\r\n\r\n");
            let err = parse(raw.as_bytes()).unwrap_err();
            assert_eq!(err.status(), Some(Status::NOT_IMPLEMENTED), "{coding}");
        }
    }

    #[test]
    fn host_may_carry_a_port_or_an_ipv6_address_or_be_empty() {
        for host in ["example.com", "127.0.0.1:8080", "[::1]:8080", ""] {
            let raw = format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n");
            assert!(parse(raw.as_bytes()).is_ok(), "{host:?}");
        }
    }

    #[test]
    fn a_request_line_at_the_limit_passes_and_one_byte_more_is_414() {
        let limits = Limits {
            max_line: 32,
            ..Limits::DEFAULT
        };
        let fits = format!("GET /{} HTTP/1.0\r\n\r\n", "a".repeat(32 - 14));
        assert_eq!(fits.find('\r'), Some(32));
        assert!(parse_with(fits.as_bytes(), limits).is_ok());
        let over = format!("GET /{} HTTP/1.0\r\n\r\n", "a".repeat(32 - 13));
        let err = parse_with(over.as_bytes(), limits).unwrap_err();
        assert_eq!(err.status(), Some(Status::URI_TOO_LONG));
    }

    #[test]
    fn a_long_header_line_is_431() {
        let limits = Limits {
            max_line: 32,
            ..Limits::DEFAULT
        };
        let raw = format!("GET / HTTP/1.0\r\nX: {}\r\n\r\n", "a".repeat(40));
        let err = parse_with(raw.as_bytes(), limits).unwrap_err();
        assert!(matches!(
            err,
            ParseError::HeadersTooLarge("header too long")
        ));
        // Also when the line ends in a bare LF, which gives it one more byte.
        let raw = format!("GET / HTTP/1.0\nX: {}\n\n", "a".repeat(30));
        let err = parse_with(raw.as_bytes(), limits).unwrap_err();
        assert!(matches!(
            err,
            ParseError::HeadersTooLarge("header too long")
        ));
    }

    #[test]
    fn too_many_headers_is_431() {
        let limits = Limits {
            max_headers: 3,
            ..Limits::DEFAULT
        };
        let three = "GET / HTTP/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
        assert!(parse_with(three.as_bytes(), limits).is_ok());
        let four = "GET / HTTP/1.0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n";
        let err = parse_with(four.as_bytes(), limits).unwrap_err();
        assert!(matches!(
            err,
            ParseError::HeadersTooLarge("too many headers")
        ));
    }

    #[test]
    fn a_head_over_the_total_budget_is_431() {
        let limits = Limits {
            max_line: 100,
            max_headers: 100,
            max_head: 200,
        };
        let line = format!("X: {}\r\n", "a".repeat(90));
        let raw = format!("GET / HTTP/1.0\r\n{line}{line}{line}\r\n");
        let err = parse_with(raw.as_bytes(), limits).unwrap_err();
        assert!(matches!(
            err,
            ParseError::HeadersTooLarge("request head too large")
        ));
    }

    #[test]
    fn the_parser_reads_no_further_than_its_limits() {
        // An endless header line: the parser stops after max_line + 2 bytes.
        let limits = Limits {
            max_line: 64,
            ..Limits::DEFAULT
        };
        let mut endless = io::BufReader::new(
            io::Cursor::new(b"GET / HTTP/1.0\r\nX: ".to_vec()).chain(io::repeat(b'a')),
        );
        let err = read_request(&mut endless, &limits).unwrap_err();
        assert!(matches!(err, ParseError::HeadersTooLarge(_)));
    }

    #[test]
    fn keep_alive_follows_version_and_connection_header() {
        let keep = |raw: &[u8]| parse(raw).unwrap().keep_alive();
        assert!(keep(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        assert!(!keep(
            b"GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, CLOSE\r\n\r\n"
        ));
        assert!(!keep(b"GET / HTTP/1.0\r\n\r\n"));
        assert!(keep(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    }

    #[test]
    fn response_head_ends_with_an_empty_line() {
        let head = response_head(Status::NOT_FOUND, &[("Content-Length", "0")]);
        assert_eq!(
            head,
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec()
        );
    }
}
