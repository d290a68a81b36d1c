//! The tests every echo server of Part IV must pass.
//!
//! Chapters 9 to 11 write the same TCP echo server in every model:
//! iterative, forking, threaded, pooled, non-blocking, `select`, `poll`,
//! `epoll`, mio, a hand-made executor, tokio. Each sends back every byte it
//! receives, in order; when the client shuts down its write side, it sends
//! what is left and closes; it takes its address as its first argument and
//! prints `listening on <addr>` once bound; its binary is `echo_<model>`.
//!
//! This crate holds one public function per property. Each takes the path
//! of a server binary, starts it on `127.0.0.1:0` with [`harness::Server`],
//! checks the property with deadlines, and panics with a message that says
//! what the server did wrong. A chapter's tests run all of them with one
//! line per server:
//!
//! ```ignore
//! echo_suite::robust_echo_tests!(echo_threads, env!("CARGO_BIN_EXE_echo_threads"));
//! ```
//!
//! which expands to a module `echo_threads` with one `#[test]` per property.
//! The iterative server cannot pass them (an idle client stops it); its
//! defining limit has a test of its own, [`serves_one_client_at_a_time`].
//!
//! The properties, one function each (all take the binary's path):
//!
//! | function | the server must |
//! |---|---|
//! | [`echoes_every_byte_in_order`] | echo one client's bytes unchanged, then 100,000 more |
//! | [`echoes_many_concurrent_streams`] | echo 200 clients × 1 MiB at once, each to its sender, in order |
//! | [`waits_for_a_slow_reader`] | wait without spinning (CPU < 75 ms in 250 ms, not runnable and using CPU most of the time) while a client holds back reading, then deliver all 32 MiB |
//! | [`bounds_memory_for_a_client_that_never_reads`] | stop reading from a client that never reads (its writes block; RSS grows < 64 MiB while it pushes up to 256 MiB) |
//! | [`idle_clients_do_not_delay_others`] | serve a third client while two sit idle |
//! | [`survives_resets_and_vanishing_clients`] | survive 30 resets and vanishing clients, then serve, with no descriptor leaked |
//! | [`finishes_after_half_close`] | after the client's `shutdown(Write)`, send the rest, then close |
//! | [`survives_running_out_of_descriptors`] | with `RLIMIT_NOFILE` 48 and 64 clients: not spin, then serve the ones that waited |
//! | [`serves_one_client_at_a_time`] | (iterative only) make a second client wait for the first |
//!
//! The helpers are public too, for the tests a chapter adds: [`connect`],
//! [`round_trip`], [`wait_until`]; [`process`] reads a server's processes,
//! CPU time, memory, threads and descriptors from `/proc`, starts a server
//! with a given `RLIMIT_NOFILE` ([`process::start_with_nofile`]) and raises
//! the test's own ([`process::raise_nofile`]); [`flow`] drives many
//! non-blocking clients with `poll(2)` from one thread. Chapter 10's
//! `echo_select` test (descriptors at or above `FD_SETSIZE` are refused
//! cleanly) is built from these: start the server with
//! `start_with_nofile(bin, &[], 2048)`, raise the test's limit, open 1,100
//! connections, and check that the ones the server cannot `select` on are
//! closed while the others are echoed.

pub mod flow;
pub mod process;

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

pub use harness::{self, Server};

use flow::{Ended, Flow, drive};

/// How long a client that ought to be served may wait for its echo before
/// the test calls the server stuck. Shorter than [`harness::DEADLINE`], so
/// a server that serves one client at a time fails quickly.
pub const PROMPT: Duration = Duration::from_secs(10);

/// Expands to a module `$name` with one `#[test]` per robustness property,
/// each run against the server binary at `$bin`.
#[macro_export]
macro_rules! robust_echo_tests {
    ($name:ident, $bin:expr) => {
        mod $name {
            #[test]
            fn echoes_every_byte_in_order() {
                $crate::echoes_every_byte_in_order($bin);
            }
            #[test]
            fn echoes_200_concurrent_streams_of_1_mib() {
                $crate::echoes_many_concurrent_streams($bin);
            }
            #[test]
            fn waits_for_a_slow_reader_without_spinning_or_dropping_bytes() {
                $crate::waits_for_a_slow_reader($bin);
            }
            #[test]
            fn stops_reading_from_a_client_that_never_reads() {
                $crate::bounds_memory_for_a_client_that_never_reads($bin);
            }
            #[test]
            fn idle_clients_do_not_delay_the_others() {
                $crate::idle_clients_do_not_delay_others($bin);
            }
            #[test]
            fn survives_resets_and_vanishing_clients_without_leaking_descriptors() {
                $crate::survives_resets_and_vanishing_clients($bin);
            }
            #[test]
            fn sends_the_rest_and_closes_after_a_half_close() {
                $crate::finishes_after_half_close($bin);
            }
            #[test]
            fn survives_running_out_of_descriptors() {
                $crate::survives_running_out_of_descriptors($bin);
            }
        }
    };
}

/// Connects to `addr` with the harness's deadlines (blocking).
#[track_caller]
pub fn connect(addr: SocketAddr) -> TcpStream {
    harness::connect(addr).unwrap_or_else(|err| panic!("connecting to {addr}: {err}"))
}

/// Sends `message` and reads as many bytes back, waiting at most `wait`.
/// `Err` says what happened instead.
pub fn round_trip(stream: &TcpStream, message: &[u8], wait: Duration) -> Result<(), String> {
    stream
        .set_read_timeout(Some(wait))
        .map_err(|err| err.to_string())?;
    (&*stream)
        .write_all(message)
        .map_err(|err| format!("write: {err}"))?;
    let mut echo = vec![0u8; message.len()];
    match (&*stream).read_exact(&mut echo) {
        Ok(()) if echo == message => Ok(()),
        Ok(()) => Err(format!("sent {message:?}, got back {echo:?}")),
        Err(err) if err.kind() == ErrorKind::WouldBlock => Err(format!("no echo within {wait:?}")),
        Err(err) => Err(format!("read: {err}")),
    }
}

/// Waits until `check` holds, with a deadline (the harness's).
pub use harness::wait_until;

/// One client: bytes of every size come back unchanged, in order, and
/// shutting down the write side gets the rest and the server's close.
pub fn echoes_every_byte_in_order(bin: &str) {
    let server = Server::start(bin, &[]);
    let stream = server.connect();
    for message in [
        &b"x"[..],
        b"hello, \xe4\xbd\xa0\xe5\xa5\xbd\n",
        &[0u8, 255, 13, 10, 0],
    ] {
        round_trip(&stream, message, PROMPT).unwrap_or_else(|why| panic!("{bin}: {why}"));
    }
    drop(stream); // an iterative server takes the next client only now
    let mut flows = vec![Flow::connect(server.addr(), 1, 100_000).unwrap()];
    drive(&mut flows, Instant::now() + PROMPT, None)
        .unwrap_or_else(|why| panic!("{bin}: 100 000 bytes on one connection: {why}"));
}

/// 200 clients at once, each streaming 1 MiB while reading the echo:
/// every byte comes back to the client that sent it, in order.
pub fn echoes_many_concurrent_streams(bin: &str) {
    const CLIENTS: usize = 200;
    const BYTES: u64 = 1 << 20;
    let server = Server::start(bin, &[]);
    let mut flows: Vec<Flow> = (0..CLIENTS)
        .map(|seed| {
            Flow::connect(server.addr(), seed, BYTES)
                .unwrap_or_else(|err| panic!("{bin}: client {seed} cannot connect: {err}"))
        })
        .collect();
    let ended = drive(&mut flows, Instant::now() + harness::DEADLINE, None)
        .unwrap_or_else(|why| panic!("{bin}: {CLIENTS} clients × 1 MiB: {why}"));
    assert_eq!(ended, Ended::Done);
}

/// A client sends 32 MiB but holds back reading: the server's writes to it
/// block or fail with `EAGAIN`, and the server must wait (using no CPU)
/// instead of spinning or dropping bytes. Then the client reads, and every
/// byte comes back in order.
pub fn waits_for_a_slow_reader(bin: &str) {
    // The four kernel buffers between client and server (two send, two
    // receive) hold about 8 MiB here, at most about 20 MiB with Linux's
    // default limits: send more than fits.
    const BYTES: u64 = 32 << 20;
    let server = Server::start(bin, &[]);
    let mut flows = vec![Flow::connect(server.addr(), 7, BYTES).unwrap()];
    flows[0].reading = false;
    let deadline = Instant::now() + harness::DEADLINE;
    let ended = drive(&mut flows, deadline, Some(Duration::from_millis(200)))
        .unwrap_or_else(|why| panic!("{bin}: {why}"));
    assert_eq!(
        ended,
        Ended::Stalled,
        "{bin} took all 32 MiB from a client that read nothing back: it buffers without limit"
    );
    // The server is now stuck writing to a client that does not read. Give
    // it a quarter of a second: a server that waits for writability uses (almost)
    // no CPU and sleeps; one that retries in a loop uses a core, or on a
    // busy machine at least stays runnable.
    process::assert_not_spinning(server.pid(), || {
        format!("{bin}, while waiting for a client to read")
    });
    flows[0].reading = true;
    drive(&mut flows, deadline, None)
        .unwrap_or_else(|why| panic!("{bin}: after the client started reading: {why}"));
}

/// A client sends up to 256 MiB and never reads: the server must stop
/// reading from it once it cannot write (so the client's writes block),
/// and its memory must stay bounded.
pub fn bounds_memory_for_a_client_that_never_reads(bin: &str) {
    const BYTES: u64 = 256 << 20;
    const GROWTH: u64 = 64 << 20;
    let server = Server::start(bin, &[]);
    let before = process::rss(server.pid());
    let mut flows = vec![Flow::connect(server.addr(), 3, BYTES).unwrap()];
    flows[0].reading = false;
    flows[0].half_close = false;
    let ended = drive(
        &mut flows,
        Instant::now() + harness::DEADLINE,
        Some(Duration::from_millis(500)),
    )
    .unwrap_or_else(|why| panic!("{bin}: {why}"));
    let grown = process::rss(server.pid()).saturating_sub(before);
    assert_eq!(
        ended,
        Ended::Stalled,
        "{bin} accepted all 256 MiB from a client that never reads (memory grew {} MiB)",
        grown >> 20
    );
    assert!(
        grown < GROWTH,
        "{bin}'s memory grew {} MiB for a client that never reads; it accepted {} MiB",
        grown >> 20,
        flows[0].sent >> 20
    );
}

/// Clients that connect and then say nothing, or send a little and never
/// read, do not keep the server from serving a third client.
pub fn idle_clients_do_not_delay_others(bin: &str) {
    let server = Server::start(bin, &[]);
    let _silent = server.connect();
    let quiet = server.connect();
    (&quiet).write_all(b"hi").unwrap();
    let active = server.connect();
    for _ in 0..3 {
        round_trip(&active, b"still served?", PROMPT)
            .unwrap_or_else(|why| panic!("{bin}, with two idle clients connected: {why}"));
    }
}

/// Clients that reset their connection (`SO_LINGER` 0), close with the
/// echo unread, or reset before they are accepted: the server survives,
/// serves the next client, and closes every descriptor it opened for them.
pub fn survives_resets_and_vanishing_clients(bin: &str) {
    let server = Server::start(bin, &[]);
    let pid = server.pid();
    let baseline = process::open_fds(pid);
    for round in 0..10 {
        // Sends a little, then resets: close(2) with SO_LINGER 0 sends RST.
        let rude = server.connect();
        round_trip(&rude, b"ping", PROMPT).unwrap_or_else(|why| panic!("{bin}: {why}"));
        (&rude).write_all(&[round; 1000]).unwrap();
        socket2::SockRef::from(&rude)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(rude);
        // Sends as much as the buffers take and vanishes without reading:
        // the server is in the middle of writing the echo back.
        let mut vanishing = vec![Flow::connect(server.addr(), round as usize, 4 << 20).unwrap()];
        vanishing[0].reading = false;
        let _ = drive(
            &mut vanishing,
            Instant::now() + PROMPT,
            Some(Duration::from_millis(20)),
        );
        drop(vanishing);
        // Resets before the server has even looked at it.
        let hasty = server.connect();
        socket2::SockRef::from(&hasty)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(hasty);
    }
    let next = server.connect();
    round_trip(&next, b"anyone home?", PROMPT)
        .unwrap_or_else(|why| panic!("{bin}, after 30 broken clients: {why}"));
    drop(next);
    let settled = wait_until(PROMPT, || process::open_fds(pid) <= baseline);
    assert!(
        settled,
        "{bin} had {baseline} descriptors open before 31 clients came and went, {} after",
        process::open_fds(pid)
    );
}

/// After the client shuts down its write side, the server sends back
/// everything still on its way and then closes: the client reads exactly
/// what it sent, then end of stream. The client's small receive buffer
/// keeps part of the echo waiting in the server when the shutdown arrives.
pub fn finishes_after_half_close(bin: &str) {
    let server = Server::start(bin, &[]);
    let stream = server.connect();
    (&stream).write_all(b"last words").unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    (&stream)
        .read_to_end(&mut rest)
        .unwrap_or_else(|err| panic!("{bin}: reading after a half-close: {err}"));
    assert_eq!(rest, b"last words", "{bin}: the echo after a half-close");
    let mut flows: Vec<Flow> = (0..4)
        .map(|seed| Flow::connect_small(server.addr(), seed, 1 << 20).unwrap())
        .collect();
    drive(&mut flows, Instant::now() + harness::DEADLINE, None)
        .unwrap_or_else(|why| panic!("{bin}: 1 MiB then a half-close: {why}"));
}

/// Started with `RLIMIT_NOFILE` at 48, the server meets `EMFILE` in
/// `accept` once it holds about 44 connections. It must neither crash nor
/// spin, and once some clients leave it must serve the ones that waited
/// (or have refused them cleanly) and new ones.
pub fn survives_running_out_of_descriptors(bin: &str) {
    const NOFILE: u64 = 48;
    const CLIENTS: usize = 64;
    let server = process::start_with_nofile(bin, &[], NOFILE);
    let pid = server.pid();
    let clients: Vec<TcpStream> = (0..CLIENTS)
        .map(|n| {
            let stream = server.connect();
            (&stream).write_all(&[n as u8]).unwrap();
            stream
        })
        .collect();
    // Served clients get their byte back at once. The first that does not
    // marks the limit: its byte has not come back while the server holds
    // every descriptor it may open (its `/proc/<pid>/fd` is full), or, for
    // a server that never fills it (a forking parent), within a second.
    // The clients after it are only checked for what has already arrived.
    let full = || process::open_fds(pid) as u64 >= NOFILE;
    let mut served = Vec::new();
    let mut waiting = Vec::new();
    for (n, stream) in clients.into_iter().enumerate() {
        let mut byte = [0u8];
        let read = if waiting.is_empty() {
            read_one_while_not_full(&stream, &mut byte, &full)
        } else {
            stream.set_nonblocking(true).unwrap();
            (&stream).read(&mut byte)
        };
        match read {
            Ok(1) => {
                assert_eq!(byte[0], n as u8, "{bin}: client {n} got another's byte");
                served.push(stream);
            }
            Ok(_) => waiting.push((n, stream, true)), // refused: closed
            Err(err) if err.kind() == ErrorKind::WouldBlock => waiting.push((n, stream, false)),
            Err(_) => waiting.push((n, stream, true)), // refused: reset
        }
    }
    // While clients wait for descriptors, the server must not spin.
    process::assert_not_spinning(pid, || {
        format!(
            "{bin}, out of descriptors ({} served, {} waiting)",
            served.len(),
            waiting.len()
        )
    });
    // Free descriptors: the clients that waited are served now (or were
    // refused cleanly), and so is a newcomer.
    let first_waiting = waiting.first().map(|(n, _, _)| *n);
    drop(served);
    // Each one leaves once served, so that a server serving a fixed number
    // at a time gets to the next.
    for (n, stream, refused) in waiting {
        if refused {
            continue;
        }
        stream.set_nonblocking(false).unwrap();
        stream.set_read_timeout(Some(PROMPT)).unwrap();
        let mut byte = [0u8];
        match (&stream).read(&mut byte) {
            Ok(1) => assert_eq!(byte[0], n as u8, "{bin}: client {n} got another's byte"),
            Err(err) if err.kind() == ErrorKind::WouldBlock => panic!(
                "{bin}: client {n} still not served {PROMPT:?} after the others left \
                 (the server ran out of descriptors at client {first_waiting:?})"
            ),
            Ok(_) | Err(_) => {} // refused after all: closed or reset
        }
    }
    let newcomer = server.connect();
    round_trip(&newcomer, b"room for me?", PROMPT)
        .unwrap_or_else(|why| panic!("{bin}, after running out of descriptors: {why}"));
}

/// Reads one byte from `stream`, polling every 50 ms. Gives up with
/// `WouldBlock` once the byte has not come within 100 ms of `full()`
/// holding, or within a second in any case.
fn read_one_while_not_full(
    stream: &TcpStream,
    byte: &mut [u8; 1],
    full: &impl Fn() -> bool,
) -> std::io::Result<usize> {
    stream
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let give_up = Instant::now() + Duration::from_secs(1);
    let mut full_since: Option<Instant> = None;
    loop {
        match (&*stream).read(byte) {
            Err(err) if err.kind() == ErrorKind::WouldBlock => {
                let now = Instant::now();
                if full() {
                    let since = *full_since.get_or_insert(now);
                    if now >= since + Duration::from_millis(100) {
                        return Err(err);
                    }
                }
                if now >= give_up {
                    return Err(err);
                }
            }
            other => return other,
        }
    }
}

/// The iterative server's defining limit: while one client is connected, a
/// second one's bytes are not echoed; once the first leaves, they are.
pub fn serves_one_client_at_a_time(bin: &str) {
    let server = Server::start(bin, &[]);
    let first = server.connect();
    round_trip(&first, b"one", PROMPT).unwrap_or_else(|why| panic!("{bin}: {why}"));
    let second = server.connect();
    let why = round_trip(&second, b"two", Duration::from_millis(300))
        .expect_err("the second client was served while the first was connected");
    assert_eq!(why, "no echo within 300ms");
    drop(first);
    second.set_read_timeout(Some(PROMPT)).unwrap();
    let mut echo = [0u8; 3];
    (&second)
        .read_exact(&mut echo)
        .unwrap_or_else(|err| panic!("{bin}: the second client, after the first left: {err}"));
    assert_eq!(&echo, b"two");
}
