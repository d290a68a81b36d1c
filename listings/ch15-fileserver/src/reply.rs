//! Choosing the answer to a request, with no socket in sight: every design
//! of the server (threads, a pool, epoll, tokio) parses heads with
//! `take_head`, answers with `answer`, and differs only in how it waits for
//! sockets.

use std::cell::RefCell;
use std::ffi::OsString;
use std::fs::{File, Metadata};
use std::path::Path;
use std::time::SystemTime;

use ch05_http::{Limits, ParseError, Request, Status, Version, read_request};

use crate::{
    NOT_MODIFIED, PARTIAL_CONTENT, RANGE_NOT_SATISFIABLE, Range, SERVICE_UNAVAILABLE, Validators,
    accepts_gzip, content_type, directory_location, http_date, open_beneath, parse_range,
    relative_path, url_path,
};

/// The largest request body the server reads (and throws away); a larger
/// one gets 413.
pub const MAX_BODY: u64 = 1024 * 1024;
/// The methods a static file server implements, for `Allow`.
pub const ALLOW: &str = "GET, HEAD, OPTIONS";

// ANCHOR: take_head
/// How far `take_head` has looked into a connection's buffer, kept between
/// reads so that each byte is looked at once, however the head arrives:
/// where the unfinished last line starts, how far it has been searched for
/// its end, and whether a non-empty line came before it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scan {
    line_start: usize,
    searched: usize,
    seen_line: bool,
}

/// Takes one request head off the front of `buf` once it is there: `None`
/// while more bytes are needed. It parses once the head is complete, or
/// once chapter 5's parser can already tell what is wrong: too long a line,
/// too big a head, or the end of the stream (`eof`). What follows the head
/// (a body, pipelined requests) stays in `buf`, and `scan` starts afresh.
pub fn take_head(
    buf: &mut Vec<u8>,
    eof: bool,
    scan: &mut Scan,
) -> Option<Result<Request, ParseError>> {
    let limits = Limits::DEFAULT;
    let complete = head_state(buf, scan);
    let partial_line = buf.len() - scan.line_start;
    if complete || eof || buf.len() >= limits.max_head || partial_line > limits.max_line + 2 {
        let mut rest = &buf[..];
        let request = read_request(&mut rest, &limits);
        let consumed = buf.len() - rest.len();
        buf.drain(..consumed);
        *scan = Scan::default();
        return Some(request);
    }
    None
}

/// Whether `buf` holds a complete head (an empty line after a non-empty
/// one: empty lines before a request are allowed), looking only at what
/// `scan` has not seen yet.
fn head_state(buf: &[u8], scan: &mut Scan) -> bool {
    if scan.searched > buf.len() {
        *scan = Scan::default(); // not this buffer's scan
    }
    loop {
        let from = scan.searched.max(scan.line_start);
        let Some(newline) = buf[from..].iter().position(|&byte| byte == b'\n') else {
            scan.searched = buf.len();
            return false;
        };
        let end = from + newline;
        let line = &buf[scan.line_start..end];
        (scan.line_start, scan.searched) = (end + 1, end + 1);
        if line.is_empty() || line == b"\r" {
            if scan.seen_line {
                return true;
            }
        } else {
            scan.seen_line = true;
        }
    }
}
// ANCHOR_END: take_head

// ANCHOR: answer
/// What goes out for one request: the head (with a short text body
/// appended), the part of a file that follows it, and whether the
/// connection stays open afterwards.
pub struct Answer {
    pub head: String,
    pub file: Option<FilePart>,
    pub keep_alive: bool,
}

/// `length` bytes of `file` from `offset`, for sendfile(2).
pub struct FilePart {
    pub file: File,
    pub offset: u64,
    pub length: u64,
}

/// How many body bytes to read and throw away before answering `request`,
/// or the status that refuses it (413: more than `MAX_BODY`). A static
/// file server reads no bodies, but must skip them to find the next
/// request. A client that sent `Expect: 100-continue` waits for a
/// go-ahead before its body: it gets the final answer instead, and the
/// connection closes (RFC 9110, 10.1.1 allows both), so nothing is skipped.
pub fn body_to_skip(request: &Request) -> Result<u64, Status> {
    if request.content_length > MAX_BODY {
        Err(Status::CONTENT_TOO_LARGE)
    } else if expects_continue(request) {
        Ok(0)
    } else {
        Ok(request.content_length)
    }
}

fn expects_continue(request: &Request) -> bool {
    request.content_length > 0 && request.has_token("Expect", "100-continue")
}

/// The answer to `request`, whose body has been skipped. `stopping`: the
/// server is shutting down, so the connection closes after this answer.
pub fn answer(request: &Request, root: &File, stopping: bool) -> Answer {
    let reply = respond(request, root);
    let keep_alive = request.keep_alive() && !expects_continue(request) && !stopping;
    let connection = match (keep_alive, request.version) {
        (false, _) => Some("close"),
        (true, Version::Http10) => Some("keep-alive"),
        (true, Version::Http11) => None,
    };
    let head_only = request.method == "HEAD";
    let (head, file) = reply.into_parts(head_only, connection);
    Answer {
        head,
        file,
        keep_alive,
    }
}

/// The answer to a request that cannot be served: `status`, then close
/// (after a bad head, nobody knows where the next request would start).
pub fn refusal(status: Status) -> Answer {
    let (head, file) = Reply::error(status).into_parts(false, Some("close"));
    Answer {
        head,
        file,
        keep_alive: false,
    }
}

/// What a server over its connection limit sends before closing.
pub fn busy() -> String {
    format!(
        "HTTP/1.1 {SERVICE_UNAVAILABLE}\r\nContent-Length: 0\r\nRetry-After: 1\r\n\
         Connection: close\r\n\r\n"
    )
}
// ANCHOR_END: answer

// ANCHOR: respond
/// What to answer: a status, headers and a body.
pub struct Reply {
    status: Status,
    headers: Vec<(&'static str, String)>,
    body: Body,
}

enum Body {
    Text(String),
    /// A file: `length` bytes from `offset`, sent with sendfile(2).
    File {
        file: File,
        offset: u64,
        length: u64,
    },
    /// 304 has no body, and says nothing about its length.
    None,
}

impl Reply {
    pub fn error(status: Status) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: Body::Text(format!("{status}\n")),
        }
    }

    fn empty(status: Status, headers: Vec<(&'static str, String)>) -> Reply {
        Reply {
            status,
            headers,
            body: Body::Text(String::new()),
        }
    }
}

pub fn respond(request: &Request, root: &File) -> Reply {
    let method = request.method.as_str();
    if request.target == "*" && method != "OPTIONS" {
        return Reply::error(Status::BAD_REQUEST);
    }
    match method {
        "GET" | "HEAD" => serve_file(request, root).unwrap_or_else(Reply::error),
        "OPTIONS" => Reply {
            status: Status::NO_CONTENT,
            headers: vec![("Allow", ALLOW.into())],
            body: Body::None,
        },
        "POST" | "PUT" | "DELETE" | "CONNECT" | "TRACE" | "PATCH" => {
            let mut reply = Reply::error(Status::METHOD_NOT_ALLOWED);
            reply.headers.push(("Allow", ALLOW.into()));
            reply
        }
        _ => Reply::error(Status::NOT_IMPLEMENTED),
    }
}
// ANCHOR_END: respond

// ANCHOR: serve_file
fn serve_file(request: &Request, root: &File) -> Result<Reply, Status> {
    let url_path = url_path(&request.target)?;
    let mut relative = relative_path(url_path)?;
    let mut file = open_beneath(root, &relative)?;
    let mut meta = metadata(&file)?;
    if meta.is_dir() {
        if !url_path.ends_with('/') {
            let location = directory_location(url_path);
            return Ok(Reply::empty(
                Status::MOVED_PERMANENTLY,
                vec![("Location", location)],
            ));
        }
        // No index.html: 404, never a listing of the directory's names.
        relative.push("index.html");
        file = open_beneath(root, &relative)?;
        meta = metadata(&file)?;
    }
    if !meta.is_file() {
        return Err(Status::FORBIDDEN); // a FIFO, a device: never served
    }
    let mut headers = vec![("Content-Type", content_type(&relative).to_owned())];

    // A precompressed sibling, `name.gz`, as nginx's gzip_static serves it.
    let mut gz_name = OsString::from(relative.as_os_str());
    gz_name.push(".gz");
    if let Ok(gz) = open_beneath(root, Path::new(&gz_name))
        && let Ok(gz_meta) = metadata(&gz)
        && gz_meta.is_file()
    {
        // The answer depends on Accept-Encoding: caches must know.
        headers.push(("Vary", "Accept-Encoding".into()));
        if accepts_gzip(request.header("Accept-Encoding")) {
            headers.push(("Content-Encoding", "gzip".into()));
            (file, meta) = (gz, gz_meta);
        }
    }

    let validators = Validators::of(&meta);
    headers.push(("ETag", validators.etag.clone()));
    headers.push(("Last-Modified", validators.last_modified.clone()));
    if validators.not_modified(
        request.header("If-None-Match"),
        request.header("If-Modified-Since"),
    ) {
        headers.retain(|(name, _)| !matches!(*name, "Content-Type" | "Content-Encoding"));
        return Ok(Reply {
            status: NOT_MODIFIED,
            headers,
            body: Body::None,
        });
    }

    let length = meta.len();
    let range = if validators.range_applies(request.header("If-Range")) {
        parse_range(request.header("Range"), length)
    } else {
        Range::Full
    };
    headers.push(("Accept-Ranges", "bytes".into()));
    let (status, offset, length) = match range {
        Range::Full => (Status::OK, 0, length),
        Range::Part { first, last } => {
            headers.push(("Content-Range", format!("bytes {first}-{last}/{length}")));
            (PARTIAL_CONTENT, first, last - first + 1)
        }
        Range::Unsatisfiable => {
            let mut reply = Reply::error(RANGE_NOT_SATISFIABLE);
            reply
                .headers
                .push(("Content-Range", format!("bytes */{length}")));
            return Ok(reply);
        }
    };
    Ok(Reply {
        status,
        headers,
        body: Body::File {
            file,
            offset,
            length,
        },
    })
}

fn metadata(file: &File) -> Result<Metadata, Status> {
    file.metadata().map_err(|_| Status::INTERNAL_SERVER_ERROR)
}
// ANCHOR_END: serve_file

// ANCHOR: head
impl Reply {
    /// The head to write, with a text body appended to it, and the part of
    /// a file to send after it (none for HEAD, text, 304 or an empty file).
    pub fn into_parts(
        self,
        head_only: bool,
        connection: Option<&str>,
    ) -> (String, Option<FilePart>) {
        let mut head = format!("HTTP/1.1 {}\r\n", self.status);
        DATE.with_borrow_mut(|date| date.append_to(&mut head));
        head.push_str("Server: fileserver\r\n");
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        match &self.body {
            Body::Text(text) => head.push_str(&format!("Content-Length: {}\r\n", text.len())),
            Body::File { length, .. } => head.push_str(&format!("Content-Length: {length}\r\n")),
            Body::None => {}
        }
        if let Some(connection) = connection {
            head.push_str(&format!("Connection: {connection}\r\n"));
        }
        head.push_str("\r\n");
        match self.body {
            _ if head_only => (head, None),
            Body::Text(text) => {
                head.push_str(&text);
                (head, None)
            }
            Body::File {
                file,
                offset,
                length: length @ 1..,
            } => (
                head,
                Some(FilePart {
                    file,
                    offset,
                    length,
                }),
            ),
            Body::File { .. } | Body::None => (head, None),
        }
    }
}
// ANCHOR_END: head

// ANCHOR: date
/// `Date: …\r\n`, formatted once a second per thread, not per response.
struct DateCache {
    second: u64,
    line: String,
}

impl DateCache {
    fn append_to(&mut self, head: &mut String) {
        let now = SystemTime::now();
        let second = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        if second != self.second || self.line.is_empty() {
            self.second = second;
            self.line = format!("Date: {}\r\n", http_date(now));
        }
        head.push_str(&self.line);
    }
}

thread_local! {
    static DATE: RefCell<DateCache> = const {
        RefCell::new(DateCache {
            second: 0,
            line: String::new(),
        })
    };
}
// ANCHOR_END: date
