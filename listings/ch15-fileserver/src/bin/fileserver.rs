//! `fileserver ADDR ROOT [--head-timeout SECS] [--idle-timeout SECS]
//! [--max-connections N]`: serve the files below ROOT over HTTP/1.1, with
//! keep-alive, pipelining, sendfile, validators, ranges and precompressed
//! files, on tokio. SIGTERM stops it gracefully.

use std::cell::RefCell;
use std::env;
use std::ffi::OsString;
use std::fs::{File, Metadata};
use std::io::{self, Write as _};
use std::os::fd::AsFd;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use ch05_http::{Limits, ParseError, Request, Status, Version, read_request};
use ch15_fileserver::{
    NOT_MODIFIED, PARTIAL_CONTENT, RANGE_NOT_SATISFIABLE, Range, SERVICE_UNAVAILABLE, Validators,
    accepts_gzip, content_type, directory_location, http_date, open_beneath, parse_range,
    relative_path, url_path,
};
use nix::sys::resource::{Resource, getrlimit, setrlimit};
use nix::sys::sendfile::sendfile64;
use nix::sys::socket::{MsgFlags, Shutdown, send, shutdown};
use tokio::io::Interest;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::time::{self, Instant};

// ANCHOR: config
/// The largest request body the server reads (and throws away); a larger
/// one gets 413.
const MAX_BODY: u64 = 1024 * 1024;
/// The methods a static file server implements, for `Allow`.
const ALLOW: &str = "GET, HEAD, OPTIONS";
/// How long the server waits for responses in flight after SIGTERM.
const GRACE: Duration = Duration::from_secs(30);
/// Connections over the limit that still get a 503 before they are closed.
const MAX_REFUSING: usize = 1024;

struct Config {
    /// The directory being served, held open; every path is opened
    /// relative to it with openat2(2).
    root: File,
    /// From the first byte of a request to the end of its head (and body),
    /// and between two writes that make progress on a response.
    head_timeout: Duration,
    /// How long a kept-alive connection may wait for its next request.
    idle_timeout: Duration,
    max_connections: usize,
}
// ANCHOR_END: config

// ANCHOR: main
fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let config = match parse_args(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("fileserver: {message}");
            eprintln!(
                "usage: fileserver ADDR ROOT [--head-timeout SECS] [--idle-timeout SECS] \
                 [--max-connections N]"
            );
            return ExitCode::from(2);
        }
    };
    // Each connection is a file descriptor: raise the soft limit (often
    // 1024) to the hard one, so that max_connections can be reached.
    if let Ok((_, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("fileserver: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let addr = args[0].clone();
    match runtime.block_on(run(&addr, Arc::new(config))) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("fileserver: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(args: &[String]) -> Result<Config, String> {
    let [_addr, root, options @ ..] = args else {
        return Err("expected ADDR and ROOT".into());
    };
    let mut config = Config {
        root: open_root(root)?,
        head_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(60),
        max_connections: 10_000,
    };
    let mut options = options.iter();
    while let Some(option) = options.next() {
        let value = options
            .next()
            .ok_or_else(|| format!("{option}: needs a value"))?;
        let seconds = || {
            value
                .parse()
                .ok()
                .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
                .filter(|secs| !secs.is_zero())
                .ok_or_else(|| format!("{option} {value}: not a positive number of seconds"))
        };
        match option.as_str() {
            "--head-timeout" => config.head_timeout = seconds()?,
            "--idle-timeout" => config.idle_timeout = seconds()?,
            "--max-connections" => {
                config.max_connections = value
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("{option} {value}: not a positive number"))?;
            }
            _ => return Err(format!("{option}: unknown option")),
        }
    }
    Ok(config)
}

fn open_root(root: &str) -> Result<File, String> {
    match File::open(root).and_then(|dir| dir.metadata().map(|meta| (dir, meta))) {
        Ok((dir, meta)) if meta.is_dir() => Ok(dir),
        Ok(_) => Err(format!("{root}: Not a directory")),
        Err(err) => Err(format!("{root}: {err}")),
    }
}
// ANCHOR_END: main

// ANCHOR: run
/// Accepts connections until SIGTERM, then waits for the ones open to
/// finish. Returns whether they all did within `GRACE`.
async fn run(addr: &str, config: Arc<Config>) -> io::Result<bool> {
    let listener = listen(addr).await?;
    // Made once, before the address is announced: a SIGTERM sent as soon
    // as the line appears is not lost.
    let mut terminate = signal(SignalKind::terminate())?;
    println!("listening on {}", listener.local_addr()?);

    let permits = Arc::new(Semaphore::new(config.max_connections));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    // Every connection task holds a clone of `open`; when the last clone is
    // dropped, `all_closed.recv()` returns None.
    let (open, mut all_closed) = mpsc::channel::<()>(1);
    let (stop, stopping) = watch::channel(false);
    loop {
        let (stream, _) = tokio::select! {
            _ = terminate.recv() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // EMFILE, say: the connections open go on being served.
                    // Pause, or the loop would spin on the same error.
                    eprintln!("fileserver: accept: {err}");
                    time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        if let Ok(permit) = Arc::clone(&permits).try_acquire_owned() {
            let (config, stopping, open) = (Arc::clone(&config), stopping.clone(), open.clone());
            tokio::spawn(async move {
                let _ = connection(&stream, &config, stopping).await;
                drop((permit, open));
            });
        } else if let Ok(permit) = Arc::clone(&refusing).try_acquire_owned() {
            tokio::spawn(refuse_busy(stream, permit));
        } // else: dropped at once, the cheapest answer there is.
    }
    drop(listener); // new connections are refused from here on
    let left = config.max_connections - permits.available_permits();
    // Whoever read standard output may be gone by now: a failed write must
    // not stop the shutdown (println! would panic).
    let _ = writeln!(io::stdout(), "shutting down: {left} connections open");
    let _ = stop.send(true);
    drop(open);
    let finished = time::timeout(GRACE, all_closed.recv()).await.is_ok();
    if finished {
        let _ = writeln!(io::stdout(), "all connections closed");
    } else {
        eprintln!("fileserver: connections still open after {GRACE:?}: cut");
    }
    Ok(finished)
}

/// Binds with a listen backlog of 4096 (the kernel caps it at
/// net.core.somaxconn). `TcpListener::bind` asks for 128 (`ss -lt` shows
/// it): a burst of new connections overflows that queue, and the kernel
/// drops the SYNs, which the clients send again only a second later.
async fn listen(addr: &str) -> io::Result<TcpListener> {
    let addr = tokio::net::lookup_host(addr)
        .await?
        .next()
        .ok_or_else(|| io::Error::other("no address"))?;
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// Over the connection limit: say so and close, reading what the client
/// sent for at most a second so that the 503 is not lost to a reset.
async fn refuse_busy(stream: TcpStream, _permit: OwnedSemaphorePermit) {
    let head = format!(
        "HTTP/1.1 {SERVICE_UNAVAILABLE}\r\nContent-Length: 0\r\nRetry-After: 1\r\n\
         Connection: close\r\n\r\n"
    );
    let deadline = Instant::now() + Duration::from_secs(1);
    if write_all(&stream, head.as_bytes(), false, deadline)
        .await
        .is_ok()
    {
        close_gracefully(&stream, &mut Vec::new(), deadline).await;
    }
}
// ANCHOR_END: run

// ANCHOR: connection
/// Serves the requests of one connection, in order: pipelined requests
/// wait in `buf` until the responses before them are sent.
async fn connection(
    stream: &TcpStream,
    config: &Config,
    mut stopping: watch::Receiver<bool>,
) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = Vec::new();
    loop {
        if buf.is_empty() {
            // Idle: give the buffer back, so that 10,000 idle connections
            // cost 10,000 small tasks and no buffers.
            buf = Vec::new();
            let until = Instant::now() + config.idle_timeout;
            loop {
                tokio::select! {
                    ready = time::timeout_at(until, stream.readable()) => match ready {
                        Ok(ready) => ready?,
                        Err(_) => return Ok(()), // idle too long: close, say nothing
                    },
                    _ = stopping.wait_for(|stop| *stop) => return Ok(()),
                }
                // Readiness can be stale (left over from the last request):
                // only bytes, or the end of the stream, end the wait.
                buf.resize(4096, 0);
                match stream.try_read(&mut buf) {
                    Ok(0) => return Ok(()),
                    Ok(n) => {
                        buf.truncate(n);
                        break;
                    }
                    Err(err) if err.kind() == io::ErrorKind::WouldBlock => buf = Vec::new(),
                    Err(err) => return Err(err),
                }
            }
        }
        let deadline = Instant::now() + config.head_timeout;
        let request = match read_head(stream, &mut buf, deadline).await {
            Ok(request) => request,
            Err(ParseError::Closed) => return Ok(()),
            Err(ParseError::Io { error, started }) if error.kind() == io::ErrorKind::TimedOut => {
                if !started {
                    return Ok(());
                }
                return refuse(stream, &mut buf, Status::REQUEST_TIMEOUT, config).await;
            }
            Err(ParseError::Io { error, .. }) => return Err(error),
            Err(err) => {
                let status = err.status().unwrap_or(Status::BAD_REQUEST);
                return refuse(stream, &mut buf, status, config).await;
            }
        };
        // A static file server reads no bodies, but must skip them to find
        // the next request; one it will not read ends the connection.
        let length = request.content_length;
        if length > MAX_BODY {
            return refuse(stream, &mut buf, Status::CONTENT_TOO_LARGE, config).await;
        }
        // A client that sent `Expect: 100-continue` waits for a go-ahead
        // before its body; it gets the final answer instead, and the
        // connection closes (RFC 9110, 10.1.1 allows both).
        let expects = length > 0 && request.has_token("Expect", "100-continue");
        if length > 0 && !expects && skip_body(stream, &mut buf, length, deadline).await.is_err() {
            return refuse(stream, &mut buf, Status::REQUEST_TIMEOUT, config).await;
        }

        let reply = respond(&request, &config.root);
        let keep_alive = request.keep_alive() && !expects && !*stopping.borrow();
        let connection = match (keep_alive, request.version) {
            (false, _) => Some("close"),
            (true, Version::Http10) => Some("keep-alive"),
            (true, Version::Http11) => None,
        };
        let head_only = request.method == "HEAD";
        send_reply(stream, reply, head_only, connection, config.head_timeout).await?;
        if !keep_alive {
            let deadline = Instant::now() + config.head_timeout;
            close_gracefully(stream, &mut buf, deadline).await;
            return Ok(());
        }
    }
}

/// Answers a request that cannot be served with `status`, then closes:
/// after a bad head, nobody knows where the next request would start.
async fn refuse(
    stream: &TcpStream,
    buf: &mut Vec<u8>,
    status: Status,
    config: &Config,
) -> io::Result<()> {
    send_reply(
        stream,
        Reply::error(status),
        false,
        Some("close"),
        config.head_timeout,
    )
    .await?;
    close_gracefully(stream, buf, Instant::now() + config.head_timeout).await;
    Ok(())
}
// ANCHOR_END: connection

// ANCHOR: read_head
/// Reads until `buf` holds a whole request head, then parses it with
/// chapter 5's `read_request` and removes it from `buf`. What follows it
/// (a body, pipelined requests) stays in `buf`.
async fn read_head(
    stream: &TcpStream,
    buf: &mut Vec<u8>,
    deadline: Instant,
) -> Result<Request, ParseError> {
    let limits = Limits::DEFAULT;
    let mut eof = false;
    loop {
        let (complete, partial_line) = head_state(buf);
        // Parse once the head is complete, or once the parser can already
        // tell what is wrong: too long a line, too big a head, or the end
        // of the stream.
        if complete || eof || buf.len() >= limits.max_head || partial_line > limits.max_line + 2 {
            let mut rest = &buf[..];
            let request = read_request(&mut rest, &limits)?;
            let consumed = buf.len() - rest.len();
            buf.drain(..consumed);
            return Ok(request);
        }
        match read_some(stream, buf, deadline).await {
            Ok(0) => eof = true,
            Ok(_) => {}
            Err(error) => {
                let started = !buf.is_empty();
                return Err(ParseError::Io { error, started });
            }
        }
    }
}

/// Whether `buf` holds a complete head (an empty line after a non-empty
/// one: empty lines before a request are allowed), and the length of the
/// unfinished line at its end.
fn head_state(buf: &[u8]) -> (bool, usize) {
    let mut start = 0;
    let mut seen_line = false;
    while let Some(newline) = buf[start..].iter().position(|&byte| byte == b'\n') {
        let line = &buf[start..start + newline];
        start += newline + 1;
        if line.is_empty() || line == b"\r" {
            if seen_line {
                return (true, 0);
            }
        } else {
            seen_line = true;
        }
    }
    (false, buf.len() - start)
}

/// Reads what has arrived (at most 4 KiB) onto the end of `buf`. Fails
/// with `TimedOut` once `deadline` has passed: a deadline, not a timeout
/// per read, so one byte a second cannot hold a connection forever.
async fn read_some(stream: &TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> io::Result<usize> {
    loop {
        match time::timeout_at(deadline, stream.readable()).await {
            Ok(ready) => ready?,
            Err(_) => return Err(io::ErrorKind::TimedOut.into()),
        }
        let old = buf.len();
        buf.resize(old + 4096, 0);
        let read = stream.try_read(&mut buf[old..]);
        buf.truncate(old + *read.as_ref().unwrap_or(&0));
        match read {
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => continue,
            read => return read,
        }
    }
}

/// Throws away a body of `length` bytes (at most `MAX_BODY`), keeping any
/// pipelined request that follows it.
async fn skip_body(
    stream: &TcpStream,
    buf: &mut Vec<u8>,
    mut length: u64,
    deadline: Instant,
) -> io::Result<()> {
    loop {
        let buffered = (buf.len() as u64).min(length);
        buf.drain(..buffered as usize);
        length -= buffered;
        if length == 0 {
            return Ok(());
        }
        if read_some(stream, buf, deadline).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
}
// ANCHOR_END: read_head

// ANCHOR: respond
/// What to answer: a status, headers and a body.
struct Reply {
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
    fn error(status: Status) -> Reply {
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

fn respond(request: &Request, root: &File) -> Reply {
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

// ANCHOR: send
/// Writes `reply`. The head goes out with MSG_MORE, so that the kernel
/// puts it in one segment with the start of the file that sendfile(2)
/// copies straight from the page cache to the socket.
async fn send_reply(
    stream: &TcpStream,
    reply: Reply,
    head_only: bool,
    connection: Option<&str>,
    timeout: Duration,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {}\r\n", reply.status);
    DATE.with_borrow_mut(|date| date.append_to(&mut head));
    head.push_str("Server: fileserver\r\n");
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match &reply.body {
        Body::Text(text) => head.push_str(&format!("Content-Length: {}\r\n", text.len())),
        Body::File { length, .. } => head.push_str(&format!("Content-Length: {length}\r\n")),
        Body::None => {}
    }
    if let Some(connection) = connection {
        head.push_str(&format!("Connection: {connection}\r\n"));
    }
    head.push_str("\r\n");

    let deadline = || Instant::now() + timeout;
    match reply.body {
        _ if head_only => write_all(stream, head.as_bytes(), false, deadline()).await,
        Body::None => write_all(stream, head.as_bytes(), false, deadline()).await,
        Body::Text(text) => {
            head.push_str(&text);
            write_all(stream, head.as_bytes(), false, deadline()).await
        }
        Body::File { length: 0, .. } => write_all(stream, head.as_bytes(), false, deadline()).await,
        Body::File {
            file,
            offset,
            length,
        } => {
            write_all(stream, head.as_bytes(), true, deadline()).await?;
            send_file(stream, &file, offset, length, timeout).await
        }
    }
}

/// Copies `length` bytes of `file` from `offset` to the socket with
/// sendfile(2). Each wait for room in the socket's buffer has its own
/// deadline: a client that stops reading is cut off, a slow one is not.
async fn send_file(
    stream: &TcpStream,
    file: &File,
    offset: u64,
    mut length: u64,
    timeout: Duration,
) -> io::Result<()> {
    let mut offset = i64::try_from(offset).map_err(io::Error::other)?;
    while length > 0 {
        match time::timeout(timeout, stream.writable()).await {
            Ok(ready) => ready?,
            Err(_) => return Err(io::ErrorKind::TimedOut.into()),
        }
        let chunk = usize::try_from(length).unwrap_or(usize::MAX).min(1 << 30);
        let sent = stream.try_io(Interest::WRITABLE, || {
            sendfile64(stream.as_fd(), file.as_fd(), Some(&mut offset), chunk)
                .map_err(io::Error::from)
        });
        match sent {
            // The file shrank: Content-Length promised more, so the only
            // honest thing left is to close the connection.
            Ok(0) => return Err(io::Error::other("file shrank while being sent")),
            Ok(n) => length -= n as u64,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => continue,
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// Writes all of `bytes`, with MSG_MORE if more data follows at once.
async fn write_all(
    stream: &TcpStream,
    mut bytes: &[u8],
    more: bool,
    deadline: Instant,
) -> io::Result<()> {
    let flags = if more {
        // nix has no name for it; the kernel's value comes from libc.
        MsgFlags::from_bits_retain(libc::MSG_MORE)
    } else {
        MsgFlags::empty()
    };
    while !bytes.is_empty() {
        match time::timeout_at(deadline, stream.writable()).await {
            Ok(ready) => ready?,
            Err(_) => return Err(io::ErrorKind::TimedOut.into()),
        }
        let sent = stream.try_io(Interest::WRITABLE, || {
            use std::os::fd::AsRawFd;
            send(stream.as_raw_fd(), bytes, flags | MsgFlags::MSG_NOSIGNAL).map_err(io::Error::from)
        });
        match sent {
            Ok(n) => bytes = &bytes[n..],
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => continue,
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// Ends a connection without losing the last response: FIN first, then
/// read and discard what the client still sends (at most `MAX_BODY`
/// bytes, until `deadline`), so that closing sends no reset.
async fn close_gracefully(stream: &TcpStream, buf: &mut Vec<u8>, deadline: Instant) {
    let _ = shutdown(std::os::fd::AsRawFd::as_raw_fd(stream), Shutdown::Write);
    let mut discarded = 0;
    while discarded < MAX_BODY {
        buf.clear();
        match read_some(stream, buf, deadline).await {
            Ok(n @ 1..) => discarded += n as u64,
            _ => return,
        }
    }
}
// ANCHOR_END: send

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
