//! What the chapter's "From Python" notes say about Python's servers and
//! pools, checked with the real `python3`.

use std::process::Command;

use harness::run;

/// Runs a Python program, or returns `None` (with a note) without python3.
fn python(code: &str) -> Option<String> {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("note: python3 not found; skipping (apt-get install python3)");
        return None;
    }
    let out = run(Command::new("python3").args(["-c", code]));
    out.assert_success();
    Some(out.stdout_text())
}

#[test]
fn python_socketserver_defaults_are_what_the_notes_say() {
    let Some(text) = python(
        "import socketserver as s\n\
         print(s.TCPServer.request_queue_size)\n\
         print(s.ForkingMixIn.max_children)\n\
         print(s.ThreadingMixIn.daemon_threads, s.ThreadingMixIn.block_on_close)\n\
         import socket, select\n\
         server = s.TCPServer(('127.0.0.1', 0), s.BaseRequestHandler)\n\
         clients = [socket.socket() for _ in range(8)]\n\
         for c in clients: c.setblocking(False); c.connect_ex(server.server_address)\n\
         _, done, _ = select.select([], clients, [], 0.3)\n\
         print(len(done), 'of 8 connected')\n",
    ) else {
        return;
    };
    // Nobody accepts: Linux completes backlog + 1 handshakes, and drops the
    // SYNs of the seventh and eighth client.
    assert_eq!(text, "5\n40\nFalse True\n6 of 8 connected\n");
}

#[test]
fn python_thread_pool_queues_without_bound() {
    let Some(text) = python(
        "import os, threading, concurrent.futures as cf\n\
         print(cf.ThreadPoolExecutor()._max_workers == min(32, os.cpu_count() + 4))\n\
         go = threading.Event()\n\
         with cf.ThreadPoolExecutor(max_workers=1) as pool:\n\
         \x20   for _ in range(10_000): pool.submit(go.wait)\n\
         \x20   print(pool._work_queue.qsize() >= 9_999)\n\
         \x20   go.set()\n",
    ) else {
        return;
    };
    assert_eq!(
        text, "True\nTrue\n",
        "10,000 tasks queued behind one busy worker"
    );
}

/// Python's `ThreadingTCPServer` echo (python/echo_threading.py) meets
/// the same contract as the Rust servers, so the same suite runs on it.
const PYTHON_ECHO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/python/echo_threading.py");

#[test]
fn python_threading_server_passes_the_echo_tests() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("note: python3 not found; skipping (apt-get install python3)");
        return;
    }
    echo_suite::echoes_every_byte_in_order(PYTHON_ECHO);
    echo_suite::finishes_after_half_close(PYTHON_ECHO);
    echo_suite::idle_clients_do_not_delay_others(PYTHON_ECHO);
}
