//! Exercise 11.2: Probing many echo servers at once
//! Edit: exercises/ch11-async/src/bin/echo_probe.rs
//! Hint: spawn one task per address into a `JoinSet`, each returning `(index, verdict)`; inside, take an `acquire_owned()` permit from an `Arc<Semaphore>`, then run `tokio::time::timeout(limit, probe(&addr))`. Collect the verdicts into a `Vec` by index and print them in order.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use harness::{DEADLINE, exercise_bin, run};

fn probe(args: &[String]) -> harness::Output {
    run(Command::new(exercise_bin!("echo_probe")).args(args))
}

/// Waits at most [`DEADLINE`] for one connection.
fn accept_one(listener: &TcpListener) -> Option<TcpStream> {
    listener.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + DEADLINE;
    while Instant::now() < deadline {
        match listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(false).unwrap();
                stream.set_read_timeout(Some(DEADLINE)).unwrap();
                return Some(stream);
            }
            Err(err) if err.kind() == ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(5));
            }
            Err(err) => panic!("accept: {err}"),
        }
    }
    None
}

/// A one-connection echo server on a thread. `before_echo` runs after
/// `ping\n` arrives and before it goes back.
fn server(
    before_echo: impl FnOnce() + Send + 'static,
) -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = thread::spawn(move || {
        let Some(mut stream) = accept_one(&listener) else {
            return;
        };
        let mut ping = [0u8; 5];
        if stream.read_exact(&mut ping).is_ok() {
            before_echo();
            let _ = stream.write_all(&ping);
        }
        // Wait for the prober to close.
        let _ = stream.read(&mut [0u8; 1]);
    });
    (addr, handle)
}

fn names(addrs: &[SocketAddr]) -> Vec<String> {
    addrs.iter().map(SocketAddr::to_string).collect()
}

#[test]
fn every_server_is_reported_in_the_order_given() {
    let (addrs, handles): (Vec<_>, Vec<_>) =
        (0..3).map(|_| server(|| ())).unzip();
    let out = probe(&names(&addrs));
    let expected: String =
        addrs.iter().map(|addr| format!("{addr} ok\n")).collect();
    assert_eq!(out.stdout_text(), expected, "{out}");
    assert_eq!(out.code(), Some(0), "{out}");
    handles.into_iter().for_each(|h| h.join().unwrap());
}

#[test]
fn the_probes_run_at_the_same_time() {
    // Each server answers only once all three have been pinged: probing
    // one after the other, the first would time out.
    let arrived = Arc::new((Mutex::new(0usize), Condvar::new()));
    let (addrs, handles): (Vec<_>, Vec<_>) = (0..3)
        .map(|_| {
            let arrived = arrived.clone();
            server(move || {
                let (count, changed) = &*arrived;
                let mut count = count.lock().unwrap();
                *count += 1;
                changed.notify_all();
                let _ = changed.wait_timeout_while(count, DEADLINE, |n| *n < 3);
            })
        })
        .unzip();
    let mut args = vec!["--timeout-ms".to_owned(), "10000".to_owned()];
    args.extend(names(&addrs));
    let out = probe(&args);
    let expected: String =
        addrs.iter().map(|addr| format!("{addr} ok\n")).collect();
    assert_eq!(
        out.stdout_text(),
        expected,
        "all three must be probed at once: {out}"
    );
    handles.into_iter().for_each(|h| h.join().unwrap());
}

#[test]
fn a_silent_server_times_out_and_a_closed_port_is_an_error() {
    let (ok, handle) = server(|| ());
    // Bound but never accepted: the kernel completes the handshake, and
    // nobody ever answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let addrs = [silent.local_addr().unwrap(), ok, closed];
    let mut args = vec!["--timeout-ms".to_owned(), "300".to_owned()];
    args.extend(names(&addrs));
    let out = probe(&args);
    assert_eq!(out.code(), Some(1), "{out}");
    let text = out.stdout_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "one line per address: {out}");
    assert_eq!(lines[0], format!("{} timed out", addrs[0]), "{out}");
    assert_eq!(lines[1], format!("{ok} ok"), "{out}");
    assert!(
        lines[2].starts_with(&format!("{closed} error: "))
            && lines[2].contains("refused"),
        "a closed port: {out}"
    );
    handle.join().unwrap();
}

#[test]
fn max_concurrent_caps_the_probes_in_progress() {
    // Each server holds its echo back 100 ms and counts how many of them
    // are holding one at once.
    let holding = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (addrs, handles): (Vec<_>, Vec<_>) = (0..6)
        .map(|_| {
            let (holding, most) = (holding.clone(), most.clone());
            server(move || {
                let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(100));
                holding.fetch_sub(1, Ordering::SeqCst);
            })
        })
        .unzip();
    let mut args: Vec<String> =
        ["--max-concurrent", "2", "--timeout-ms", "10000"]
            .map(String::from)
            .to_vec();
    args.extend(names(&addrs));
    let out = probe(&args);
    assert_eq!(out.code(), Some(0), "{out}");
    assert_eq!(out.stdout_text().lines().count(), 6, "{out}");
    let most = most.load(Ordering::SeqCst);
    assert!(
        most <= 2,
        "{most} probes in progress at once with --max-concurrent 2"
    );
    handles.into_iter().for_each(|h| h.join().unwrap());
}

#[test]
fn bad_arguments_get_a_usage_message_and_status_2() {
    for args in [
        &[][..],
        &["--timeout-ms"],
        &["--timeout-ms", "0", "x:1"],
        &["--fast", "x:1"],
    ] {
        let args: Vec<String> =
            args.iter().map(|arg| arg.to_string()).collect();
        let out = probe(&args);
        assert_eq!(out.code(), Some(2), "{args:?}: {out}");
        assert!(out.stderr_text().contains("usage"), "{args:?}: {out}");
    }
}
