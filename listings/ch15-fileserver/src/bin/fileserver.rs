//! `fileserver ADDR ROOT [--head-timeout SECS] [--idle-timeout SECS]
//! [--max-connections N] [--workers N]`: serve the files below ROOT over HTTP/1.1, with
//! keep-alive, pipelining, sendfile, validators, ranges and precompressed
//! files, on tokio. SIGTERM stops it gracefully.

use std::io::{self, Write as _};
use std::os::fd::AsFd;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use ch05_http::{ParseError, Request, Status};
use ch15_fileserver::reply::{
    Answer, FilePart, MAX_BODY, Scan, answer, body_to_skip, busy, refusal, take_head,
};
use ch15_fileserver::setup::{Config, config};
use nix::sys::sendfile::sendfile64;
use nix::sys::socket::{MsgFlags, Shutdown, send, shutdown};
use tokio::io::Interest;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::time::{self, Instant};

// ANCHOR: config
/// How long the server waits for responses in flight after SIGTERM.
const GRACE: Duration = Duration::from_secs(30);
/// Connections over the limit that still get a 503 before they are closed.
const MAX_REFUSING: usize = 1024;
// ANCHOR_END: config

// ANCHOR: main
fn main() -> ExitCode {
    let config = config("fileserver");
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(workers) = config.workers {
        runtime.worker_threads(workers);
    }
    let runtime = match runtime.enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("fileserver: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let addr = config.addr.clone();
    match runtime.block_on(run(&addr, Arc::new(config))) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("fileserver: {addr}: {err}");
            ExitCode::FAILURE
        }
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
    let head = busy();
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
        // Bodies are read and thrown away, to find the next request.
        let skip = match body_to_skip(&request) {
            Ok(skip) => skip,
            Err(status) => return refuse(stream, &mut buf, status, config).await,
        };
        if skip > 0
            && let Err(err) = skip_body(stream, &mut buf, skip, deadline).await
        {
            // A body cut short by the client is a bad request, not a slow one.
            let status = match err.kind() {
                io::ErrorKind::UnexpectedEof => Status::BAD_REQUEST,
                _ => Status::REQUEST_TIMEOUT,
            };
            return refuse(stream, &mut buf, status, config).await;
        }
        let answer = answer(&request, &config.root, *stopping.borrow());
        let keep_alive = answer.keep_alive;
        send_answer(stream, answer, config.head_timeout).await?;
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
    send_answer(stream, refusal(status), config.head_timeout).await?;
    close_gracefully(stream, buf, Instant::now() + config.head_timeout).await;
    Ok(())
}
// ANCHOR_END: connection

// ANCHOR: read_head
/// Reads until `take_head` (Listing 15-5) finds a whole request head in
/// `buf`, or an error in it. What follows the head stays in `buf`.
async fn read_head(
    stream: &TcpStream,
    buf: &mut Vec<u8>,
    deadline: Instant,
) -> Result<Request, ParseError> {
    let (mut eof, mut scan) = (false, Scan::default());
    loop {
        if let Some(request) = take_head(buf, eof, &mut scan) {
            return request;
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

// ANCHOR: send
/// Writes an answer. The head goes out with MSG_MORE when a file follows,
/// so that the kernel puts it in one segment with the start of the file
/// that sendfile(2) copies straight from the page cache to the socket.
async fn send_answer(stream: &TcpStream, answer: Answer, timeout: Duration) -> io::Result<()> {
    let deadline = Instant::now() + timeout;
    let more = answer.file.is_some();
    write_all(stream, answer.head.as_bytes(), more, deadline).await?;
    match answer.file {
        Some(part) => send_file(stream, &part, timeout).await,
        None => Ok(()),
    }
}

/// Copies `length` bytes of `file` from `offset` to the socket with
/// sendfile(2). Each wait for room in the socket's buffer has its own
/// deadline: a client that stops reading is cut off, a slow one is not.
async fn send_file(stream: &TcpStream, part: &FilePart, timeout: Duration) -> io::Result<()> {
    let FilePart { file, length, .. } = part;
    let mut length = *length;
    let mut offset = i64::try_from(part.offset).map_err(io::Error::other)?;
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
