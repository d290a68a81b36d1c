//! `http_server [ADDR] [ROOT] [TIMEOUT]`: serve the files below ROOT over
//! HTTP/1.1 with keep-alive, one thread per connection. TIMEOUT (seconds)
//! bounds how long a client may take to send each request.

use std::env;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nix::errno::Errno;
use nix::fcntl::{OFlag, OpenHow, ResolveFlag, openat2};

use ch05_http::{
    Limits, ParseError, Request, Status, Version, close_gracefully, read_request, response_head,
};

// ANCHOR: config
/// The largest request body the server reads; a larger one gets 413.
const MAX_BODY: u64 = 1024 * 1024;
/// The methods this server implements, for `Allow` (405 and OPTIONS).
const ALLOW: &str = "GET, HEAD, POST, OPTIONS";

struct Config {
    /// The directory being served, held open: every path is resolved
    /// relative to it, never through its name.
    root: File,
    /// How long a client may take to send a whole request, or to start
    /// the next one on a kept-alive connection.
    timeout: Duration,
}
// ANCHOR_END: config

// ANCHOR: main
fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let addr = args.first().map_or("127.0.0.1:8080", String::as_str);
    let root = args.get(1).map_or(".", String::as_str);
    let timeout = args.get(2).map_or("5", String::as_str);
    let Some(timeout) = timeout
        .parse()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .filter(|timeout| !timeout.is_zero())
    else {
        eprintln!("http_server: {timeout}: not a positive number of seconds");
        return ExitCode::from(2);
    };
    let root = match File::open(root).and_then(|dir| dir.metadata().map(|meta| (dir, meta))) {
        Ok((dir, meta)) if meta.is_dir() => dir,
        Ok(_) => {
            eprintln!("http_server: {root}: Not a directory");
            return ExitCode::FAILURE;
        }
        Err(err) => {
            eprintln!("http_server: {root}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let config = Arc::new(Config { root, timeout });
    match run(addr, config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("http_server: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(addr: &str, config: Arc<Config>) -> io::Result<()> {
    let listener = TcpListener::bind(addr)?;
    println!("listening on {}", listener.local_addr()?);
    let mut connections = 0u64;
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            // Running out of file descriptors, say: keep serving the
            // connections already open.
            Err(err) => {
                eprintln!("http_server: accept: {err}");
                continue;
            }
        };
        connections += 1;
        let id = connections;
        if let Ok(peer) = stream.peer_addr() {
            println!("conn {id}: open from {peer}");
        }
        let config = Arc::clone(&config);
        // One thread per connection (Chapter 9 compares the alternatives).
        let spawned = thread::Builder::new().spawn(move || {
            let reason = serve(&stream, id, &config).unwrap_or_else(|err| format!("error: {err}"));
            println!("conn {id}: closed ({reason})");
        });
        if let Err(err) = spawned {
            eprintln!("http_server: cannot start a thread: {err}");
        }
    }
    Ok(())
}
// ANCHOR_END: main

// ANCHOR: deadline
/// Reads from a stream, failing with `TimedOut` once `until` has passed.
/// A plain read timeout restarts with every read, so a client sending one
/// byte every few seconds would never trip it; a deadline it cannot extend.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "deadline passed"));
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

fn is_timeout(err: &io::Error) -> bool {
    // SO_RCVTIMEO expiring shows up as EAGAIN, which Rust calls WouldBlock.
    matches!(
        err.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}
// ANCHOR_END: deadline

// ANCHOR: serve
/// Serves the requests of one connection; returns why it ended.
fn serve(stream: &TcpStream, id: u64, config: &Config) -> io::Result<String> {
    stream.set_nodelay(true)?;
    stream.set_write_timeout(Some(config.timeout))?;
    let mut reader = BufReader::new(Deadline {
        stream,
        until: Instant::now(),
    });
    loop {
        // The whole next request must arrive within the timeout.
        reader.get_mut().until = Instant::now() + config.timeout;
        let request = match read_request(&mut reader, &Limits::DEFAULT) {
            Ok(request) => request,
            Err(ParseError::Closed) => return Ok("client closed".into()),
            Err(ParseError::Io { error, started }) if is_timeout(&error) => {
                if !started {
                    return Ok("idle".into()); // no request: nothing to answer
                }
                let log = format!("conn {id}: incomplete request");
                return refuse(stream, &mut reader, config, Status::REQUEST_TIMEOUT, log);
            }
            Err(ParseError::Io { error, .. }) => return Err(error),
            Err(err) => {
                let status = err.status().unwrap_or(Status::BAD_REQUEST);
                let log = format!("conn {id}: bad request ({err})");
                return refuse(stream, &mut reader, config, status, log);
            }
        };
        let log = format!(
            "conn {id}: {} {} {}",
            request.method, request.target, request.version
        );
        if request.content_length > MAX_BODY {
            let status = Status::CONTENT_TOO_LARGE;
            return refuse(stream, &mut reader, config, status, log);
        }
        let body = match read_body(stream, &mut reader, &request) {
            Ok(body) => body,
            Err(err) if is_timeout(&err) => {
                let status = Status::REQUEST_TIMEOUT;
                return refuse(stream, &mut reader, config, status, log);
            }
            Err(err) => return Err(err),
        };

        let reply = respond(&request, body, &config.root);
        let status = reply.status;
        let keep_alive = request.keep_alive();
        // HTTP/1.1 keeps connections open by default, HTTP/1.0 closes
        // them: say so only where the default does not hold.
        let connection = match (keep_alive, request.version) {
            (false, _) => Some("close"),
            (true, Version::Http10) => Some("keep-alive"),
            (true, Version::Http11) => None,
        };
        send(stream, reply, request.method == "HEAD", connection)?;
        println!("{log} -> {status}");
        if !keep_alive {
            close(stream, &mut reader, config);
            return Ok("Connection: close".into());
        }
    }
}

/// Answers with the error `status` and ends the connection: after a bad
/// request, the server cannot tell where the next one would start.
fn refuse(
    stream: &TcpStream,
    reader: &mut BufReader<Deadline>,
    config: &Config,
    status: Status,
    log: String,
) -> io::Result<String> {
    send(stream, Reply::error(status), false, Some("close"))?;
    println!("{log} -> {status}");
    close(stream, reader, config);
    Ok(format!("after {}", status.code))
}

/// Closes without losing the last response (see `close_gracefully`),
/// waiting at most one more timeout for the client to finish sending.
fn close(stream: &TcpStream, reader: &mut BufReader<Deadline>, config: &Config) {
    reader.get_mut().until = Instant::now() + config.timeout;
    close_gracefully(stream, reader, MAX_BODY);
}
// ANCHOR_END: serve

// ANCHOR: body
/// Reads the request body (at most `MAX_BODY` bytes, checked by the caller).
fn read_body(
    stream: &TcpStream,
    reader: &mut BufReader<Deadline>,
    request: &Request,
) -> io::Result<Vec<u8>> {
    let length = request.content_length;
    // A client that sent `Expect: 100-continue` waits for this interim
    // response before it sends the body. HTTP/1.0 clients don't know 1xx.
    if length > 0
        && request.version == Version::Http11
        && request.has_token("Expect", "100-continue")
    {
        let mut out = stream;
        out.write_all(&response_head(Status::CONTINUE, &[]))?;
    }
    let mut body = Vec::new();
    reader.take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "client closed the connection inside the body",
        ));
    }
    Ok(body)
}
// ANCHOR_END: body

// ANCHOR: respond
/// What to answer: a status, extra headers and a body.
struct Reply {
    status: Status,
    headers: Vec<(&'static str, String)>,
    body: Body,
}

enum Body {
    Bytes(Vec<u8>),
    /// A file and how many of its bytes to send.
    File(File, u64),
}

impl Reply {
    fn error(status: Status) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: Body::Bytes(format!("{status}\n").into_bytes()),
        }
    }
}

fn respond(request: &Request, body: Vec<u8>, root: &File) -> Reply {
    let method = request.method.as_str();
    // `*` means "the server itself" and only makes sense for OPTIONS.
    if request.target == "*" && method != "OPTIONS" {
        return Reply::error(Status::BAD_REQUEST);
    }
    match method {
        "GET" | "HEAD" => serve_file(root, &request.target).unwrap_or_else(Reply::error),
        // A stand-in for application code: answer with the body received.
        "POST" => {
            let kind = request.header("Content-Type");
            let kind = kind.unwrap_or("application/octet-stream").to_owned();
            Reply {
                status: Status::OK,
                headers: vec![("Content-Type", kind)],
                body: Body::Bytes(body),
            }
        }
        "OPTIONS" => Reply {
            status: Status::NO_CONTENT,
            headers: vec![("Allow", ALLOW.into())],
            body: Body::Bytes(Vec::new()),
        },
        // Methods HTTP defines that this resource does not support.
        "PUT" | "DELETE" | "CONNECT" | "TRACE" | "PATCH" => {
            let mut reply = Reply::error(Status::METHOD_NOT_ALLOWED);
            reply.headers.push(("Allow", ALLOW.into()));
            reply
        }
        // A method this server has never heard of.
        _ => Reply::error(Status::NOT_IMPLEMENTED),
    }
}
// ANCHOR_END: respond

// ANCHOR: serve_file
fn serve_file(root: &File, target: &str) -> Result<Reply, Status> {
    let url_path = url_path(target)?;
    let mut relative = relative_path(url_path)?;
    let mut file = open_beneath(root, &relative)?;
    let mut meta = file.metadata().map_err(|_| Status::INTERNAL_SERVER_ERROR)?;
    if meta.is_dir() {
        if !url_path.ends_with('/') {
            // Relative links in /docs/index.html must resolve below /docs/.
            let mut reply = Reply::error(Status::MOVED_PERMANENTLY);
            reply
                .headers
                .push(("Location", directory_location(url_path)));
            return Ok(reply);
        }
        relative.push("index.html");
        file = open_beneath(root, &relative)?;
        meta = file.metadata().map_err(|_| Status::INTERNAL_SERVER_ERROR)?;
    }
    // Not a FIFO, a device or a socket: opening a FIFO could block forever
    // (O_NONBLOCK prevents that), reading a device could never end.
    if !meta.is_file() {
        return Err(Status::FORBIDDEN);
    }
    Ok(Reply {
        status: Status::OK,
        headers: vec![("Content-Type", content_type(&relative).into())],
        body: Body::File(file, meta.len()),
    })
}

/// `/docs` → `/docs/`. Rebuilt from the non-empty segments: echoing
/// `//evil.example` back would send the browser to another host, because
/// `//host/` is a URL without a scheme, and browsers read `\` as `/`.
fn directory_location(url_path: &str) -> String {
    let mut location = String::new();
    for segment in url_path.split('/').filter(|segment| !segment.is_empty()) {
        location.push('/');
        location.push_str(&segment.replace('\\', "%5C"));
    }
    location.push('/');
    location
}
// ANCHOR_END: serve_file

// ANCHOR: paths
/// The path part of a request target: `/a/b?q` and `http://host/a/b?q`
/// (the absolute form, which RFC 9112 says servers must accept) give `/a/b`.
fn url_path(target: &str) -> Result<&str, Status> {
    let path = target.split('?').next().unwrap_or_default();
    let path = match path.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("http://") => {
            let rest = &path[7..];
            rest.find('/').map_or("/", |slash| &rest[slash..])
        }
        _ => path,
    };
    if path.starts_with('/') {
        Ok(path)
    } else {
        Err(Status::BAD_REQUEST)
    }
}

/// Turns `/a/b%20c/` into the relative path `a/b c`. Each segment is
/// percent-decoded on its own, and a segment that decodes to `.` or `..`,
/// or to anything with a `/` or a NUL byte in it, is refused: `%2e%2e`,
/// `..%2f..` and `/../` never reach the file system. Empty segments (the
/// leading `/`, `//`) are skipped, so `//etc/passwd` means `etc/passwd`
/// below the root, not the absolute path.
fn relative_path(url_path: &str) -> Result<PathBuf, Status> {
    let mut relative = PathBuf::new();
    for segment in url_path.split('/').filter(|segment| !segment.is_empty()) {
        let name = percent_decode(segment).ok_or(Status::BAD_REQUEST)?;
        if name == b"." || name == b".." || name.contains(&b'/') || name.contains(&0) {
            return Err(Status::FORBIDDEN);
        }
        // File names on Linux are bytes, not necessarily UTF-8.
        relative.push(OsStr::from_bytes(&name));
    }
    Ok(relative)
}

fn percent_decode(segment: &str) -> Option<Vec<u8>> {
    fn hex(digit: u8) -> Option<u8> {
        (digit as char).to_digit(16).map(|value| value as u8)
    }
    let mut bytes = segment.bytes();
    let mut name = Vec::with_capacity(segment.len());
    while let Some(byte) = bytes.next() {
        if byte == b'%' {
            let high = hex(bytes.next()?)?;
            let low = hex(bytes.next()?)?;
            name.push((high << 4) | low);
        } else {
            name.push(byte);
        }
    }
    Some(name)
}

/// Opens `relative` below `root` with openat2(2) and RESOLVE_BENEATH: the
/// kernel refuses (EXDEV) any resolution that leaves the root, through `..`
/// or through a symbolic link, and there is no window between checking the
/// path and opening it.
fn open_beneath(root: &File, relative: &Path) -> Result<File, Status> {
    let path = if relative.as_os_str().is_empty() {
        Path::new(".")
    } else {
        relative
    };
    let how = OpenHow::new()
        .flags(OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_NOCTTY | OFlag::O_CLOEXEC)
        .resolve(ResolveFlag::RESOLVE_BENEATH | ResolveFlag::RESOLVE_NO_MAGICLINKS);
    openat2(root, path, how).map(File::from).map_err(status_for)
}

fn status_for(errno: Errno) -> Status {
    match errno {
        Errno::ENOENT | Errno::ENOTDIR | Errno::ENAMETOOLONG => Status::NOT_FOUND,
        // EXDEV: the path leaves the root. ELOOP: too many links.
        // ENXIO: a socket file, which open(2) cannot open.
        Errno::EXDEV | Errno::ELOOP | Errno::EACCES | Errno::EPERM | Errno::ENXIO => {
            Status::FORBIDDEN
        }
        _ => Status::INTERNAL_SERVER_ERROR,
    }
}
// ANCHOR_END: paths

// ANCHOR: content_type
/// The media type for a file name's extension; browsers need it to decide
/// whether to render, run or download what they receive.
fn content_type(path: &Path) -> &'static str {
    let extension = path.extension().and_then(OsStr::to_str).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/vnd.microsoft.icon",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        // Unknown: a browser will offer to download it.
        _ => "application/octet-stream",
    }
}
// ANCHOR_END: content_type

// ANCHOR: send
/// Writes `reply`: status line, headers, and the body unless `head_only`.
/// HEAD gets the same headers as GET, `Content-Length` included.
fn send(
    stream: &TcpStream,
    reply: Reply,
    head_only: bool,
    connection: Option<&str>,
) -> io::Result<()> {
    let date = http_date(SystemTime::now());
    let length = match &reply.body {
        Body::Bytes(bytes) => bytes.len() as u64,
        Body::File(_, length) => *length,
    }
    .to_string();
    let mut headers = vec![("Date", date.as_str()), ("Server", "ch05-http")];
    headers.extend(
        reply
            .headers
            .iter()
            .map(|(name, value)| (*name, value.as_str())),
    );
    // 204 has no body, and says nothing about one (RFC 9110, 8.6).
    if reply.status != Status::NO_CONTENT {
        headers.push(("Content-Length", &length));
    }
    if let Some(connection) = connection {
        headers.push(("Connection", connection));
    }
    let mut head = response_head(reply.status, &headers);
    let mut out = stream;
    match reply.body {
        _ if head_only => out.write_all(&head),
        // Head and small body in one write: one segment, not two.
        Body::Bytes(bytes) => {
            head.extend_from_slice(&bytes);
            out.write_all(&head)
        }
        Body::File(file, length) => {
            out.write_all(&head)?;
            let sent = io::copy(&mut file.take(length), &mut out)?;
            if sent < length {
                // Content-Length promised more: the client must not wait.
                return Err(io::Error::other("file shrank while being sent"));
            }
            Ok(())
        }
    }
}
// ANCHOR_END: send

// ANCHOR: date
/// The current time as an IMF-fixdate (RFC 9110, 5.6.7), as `Date` needs:
/// `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let (days, secs_of_day) = (secs / 86_400, secs % 86_400);
    // 1 January 1970 was a Thursday.
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Days since 1970 to year, month, day (Howard Hinnant's civil_from_days).
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // March = 0
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let year = year_of_era + era * 400 + u64::from(month_index >= 10);
    let months = [
        "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        months[month_index as usize],
        secs_of_day / 3600,
        secs_of_day / 60 % 60,
        secs_of_day % 60
    )
}
// ANCHOR_END: date

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_date_formats_imf_fixdate() {
        let at = |secs| http_date(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(at(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(at(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        // 2100 is not a leap year: 28 February is followed by 1 March.
        assert_eq!(at(4_107_542_399), "Sun, 28 Feb 2100 23:59:59 GMT");
        assert_eq!(at(4_107_542_400), "Mon, 01 Mar 2100 00:00:00 GMT");
    }

    #[test]
    fn url_path_strips_query_and_absolute_form() {
        assert_eq!(url_path("/a/b?x=1"), Ok("/a/b"));
        assert_eq!(url_path("HTTP://example.com/a?x"), Ok("/a"));
        assert_eq!(url_path("http://example.com"), Ok("/"));
        assert_eq!(url_path("example.com:80"), Err(Status::BAD_REQUEST));
    }

    #[test]
    fn redirects_to_directories_stay_on_this_server() {
        assert_eq!(directory_location("/docs"), "/docs/");
        assert_eq!(directory_location("/a/b"), "/a/b/");
        assert_eq!(directory_location("//evil.example"), "/evil.example/");
        assert_eq!(directory_location("/\\evil.example"), "/%5Cevil.example/");
    }

    #[test]
    fn relative_path_decodes_and_refuses_dot_segments() {
        let ok = |path: &str| relative_path(path).unwrap();
        assert_eq!(ok("/"), PathBuf::new());
        assert_eq!(ok("/a%20b//c/"), PathBuf::from("a b/c"));
        assert_eq!(ok("//etc/passwd"), PathBuf::from("etc/passwd"));
        assert_eq!(ok("/%C3%A9t%c3%a9"), PathBuf::from("été"));
        for path in [
            "/..",
            "/a/../b",
            "/%2e%2e/x",
            "/%2E%2e",
            "/.%2e/x",
            "/a%2f..%2f..%2fx",
            "/.",
            "/a%00b",
        ] {
            assert_eq!(relative_path(path), Err(Status::FORBIDDEN), "{path}");
        }
        for path in ["/%", "/%4", "/%zz", "/%+f"] {
            assert_eq!(relative_path(path), Err(Status::BAD_REQUEST), "{path}");
        }
    }

    #[test]
    fn errors_from_open_map_to_statuses() {
        assert_eq!(status_for(Errno::ENOENT), Status::NOT_FOUND);
        assert_eq!(status_for(Errno::EXDEV), Status::FORBIDDEN);
        assert_eq!(status_for(Errno::EIO), Status::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn content_type_follows_the_extension() {
        assert_eq!(
            content_type(Path::new("a/INDEX.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("logo.svg")), "image/svg+xml");
        assert_eq!(
            content_type(Path::new("Makefile")),
            "application/octet-stream"
        );
    }
}
