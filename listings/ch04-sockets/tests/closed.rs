//! Listings about a closed peer: end of stream, EPIPE, and SIGPIPE.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use harness::{check_output, run};

#[test]
fn read_returns_zero_and_writes_fail_with_broken_pipe_after_the_peer_closes() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_peer_closed")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.contains("read returned 0: end of stream"));
    assert!(text.contains("first write returned Ok(5)"));
    assert!(text.contains("second write failed: Broken pipe (os error 32) (BrokenPipe)"));
    check_output!("../output/peer_closed.txt", &text);
}

#[test]
fn rust_ignores_sigpipe_so_write_returns_epipe() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_sigpipe")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.starts_with("SIGPIPE ignored when main starts: true\n"));
    assert!(text.contains("TcpStream::write (send, MSG_NOSIGNAL): Broken pipe (os error 32)\n"));
    assert!(text.ends_with("write(2) failed: EPIPE: Broken pipe\n"));
    check_output!("../output/sigpipe.txt", &text);
}

#[test]
fn with_sigpipe_at_its_default_the_same_write_kills_the_process() {
    let out = run(Command::new(env!("CARGO_BIN_EXE_sigpipe")).arg("--default"));
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{:?}", out.status);
    assert_eq!(out.code(), None);
    let text = out.stdout_text();
    // std's write survives even now (MSG_NOSIGNAL); write(2) does not: its
    // result is never printed.
    assert!(text.ends_with("TcpStream::write (send, MSG_NOSIGNAL): Broken pipe (os error 32)\n"));
    assert!(!text.contains("write(2)"));
    check_output!("../output/sigpipe_default.txt", &text);
}

#[test]
fn the_sigpipe_listing_runs_with_sigpipe_at_its_default_before_main() {
    // std's Command resets SIGPIPE to SIG_DFL in the child before exec, so
    // "ignored when main starts" is the Rust runtime's doing, not ours.
    let out = run(Command::new("grep")
        .arg("^SigIgn:")
        .arg("/proc/self/status"));
    out.assert_success();
    let mask = out.stdout_text();
    let mask = u64::from_str_radix(mask.trim_start_matches("SigIgn:").trim(), 16).unwrap();
    assert_eq!(
        mask & (1 << (libc::SIGPIPE - 1)),
        0,
        "grep started with SIGPIPE ignored"
    );
}

#[test]
fn python_ignores_sigpipe_too() {
    let script = "import signal; print(signal.getsignal(signal.SIGPIPE) is signal.SIG_IGN)";
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(out.stdout_text(), "True\n");
}

#[test]
fn println_to_a_pipe_nobody_reads_panics_with_broken_pipe() {
    // A pipe whose read end is closed before the listing starts: its first
    // write to standard output gets EPIPE. Another test thread may fork
    // while we hold the read end; its child keeps a copy until it execs,
    // and a write landing in that window succeeds. So a clean exit is
    // retried a few times; a real regression exits 0 every time.
    let mut outcome = None;
    for _attempt in 0..5 {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pack_record"));
        cmd.args(["7", "hello", "98.5"])
            .stdin(std::process::Stdio::null())
            .stdout(writer)
            .stderr(std::process::Stdio::piped());
        let mut child = harness::ChildGuard::spawn(&mut cmd).unwrap();
        let mut stderr = child.child_mut().stderr.take().unwrap();
        let status = child
            .wait_timeout(harness::DEADLINE)
            .unwrap()
            .expect("pack_record finished");
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).unwrap();
        outcome = Some((status, text));
        if !status.success() {
            break;
        }
    }
    let (status, text) = outcome.unwrap();
    assert_eq!(status.code(), Some(101), "{text}");
    assert!(
        text.contains("failed printing to stdout: Broken pipe (os error 32)"),
        "{text}"
    );
}
