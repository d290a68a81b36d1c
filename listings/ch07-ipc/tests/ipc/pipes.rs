//! Pipes: end of file, the forgotten write end, children's standard
//! streams, duplex socket pairs, and PIPE_BUF.

use std::io::{ErrorKind, Write};
use std::os::fd::AsFd;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use harness::{ChildGuard, Normalizer, check_output, run};
use nix::fcntl::{FcntlArg, OFlag, fcntl};

use crate::bin;
use crate::common::{have, run_forking};

#[test]
fn a_pipe_reaches_end_of_file_once_every_write_end_is_closed() {
    let (out, _) = run_forking(&mut Command::new(bin!("pipe_fork")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.starts_with("message 1 from the child\n"), "{text}");
    assert!(text.contains("read 75 bytes, then end of file\n"), "{text}");
    assert!(text.ends_with("child exited with status 0\n"), "{text}");
    check_output!("../../output/pipe_fork.txt", &text);
}

#[test]
fn a_write_end_left_open_in_the_reader_hides_end_of_file() {
    let started = Instant::now();
    let (out, _) = run_forking(&mut Command::new(bin!("pipe_forgotten")));
    out.assert_success();
    let text = out.stdout_text();
    // poll(2) saw nothing for a whole second while our write end was open…
    assert!(
        text.contains("poll, 1 s: nothing to read, and no end of file\n"),
        "{text}"
    );
    assert!(started.elapsed() >= Duration::from_secs(1));
    // …and POLLHUP as soon as it was dropped.
    assert!(
        text.contains("POLLHUP, the last writer is gone\n"),
        "{text}"
    );
    assert!(text.ends_with("read returned 0: end of file\n"), "{text}");
    check_output!("../../output/pipe_forgotten.txt", &text);
}

#[test]
fn a_child_reads_a_pipe_on_stdin_and_writes_one_on_stdout() {
    let out = run(&mut Command::new(bin!("pipe_child")));
    out.assert_success();
    let text = out.stdout_text();
    // 2.2 MB each way: far more than two 64 KiB pipes hold, so writing it
    // all before reading would have deadlocked.
    assert!(
        text.contains("sent 2288895 bytes, received 2288895 bytes\n"),
        "{text}"
    );
    assert!(text.contains(r#"last line "LINE 200000""#), "{text}");
    assert!(text.ends_with("tr: exit status: 0\n"), "{text}");
    check_output!("../../output/pipe_child.txt", &text);
}

/// Whether process `pid` sleeps in write(2) on its standard output.
/// /proc/PID/syscall shows the system call a blocked process is in and its
/// arguments, or `running`.
fn blocked_writing_stdout(pid: u32) -> bool {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/syscall")) else {
        return false;
    };
    let mut fields = text.split_whitespace();
    fields.next() == Some(libc::SYS_write.to_string().as_str()) && fields.next() == Some("0x1")
}

#[test]
fn writing_everything_before_reading_blocks_once_both_pipes_are_full() {
    // What Listing 7-5's thread avoids: write to `cat` without reading its
    // output. Non-blocking, so that the test sees "would block" instead
    // of hanging.
    let mut cmd = Command::new("cat");
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut cat = ChildGuard::spawn(&mut cmd).unwrap();
    let pid = cat.id();
    let mut stdin = cat.child_mut().stdin.take().unwrap();
    fcntl(stdin.as_fd(), FcntlArg::F_SETFL(OFlag::O_NONBLOCK)).unwrap();
    let chunk = [b'x'; 4096];
    let mut written = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    // Write until cat sleeps in write(2) on its own stdout, which nobody
    // reads, and our pipe to it is still full after that: neither can ever
    // move again.
    let mut cat_stuck = false;
    loop {
        assert!(
            Instant::now() < deadline,
            "cat kept reading: {written} bytes; /proc/{pid}/syscall: {:?}",
            std::fs::read_to_string(format!("/proc/{pid}/syscall"))
        );
        match stdin.write(&chunk) {
            Ok(n) => written += n,
            Err(err) if err.kind() == ErrorKind::WouldBlock && cat_stuck => break,
            Err(err) if err.kind() == ErrorKind::WouldBlock => {
                cat_stuck = blocked_writing_stdout(pid);
                std::thread::yield_now();
            }
            Err(err) => panic!("write to cat: {err}"),
        }
    }
    // The pipes (64 KiB each) and cat's own buffer are full, and that is
    // all: a blocking write would now wait forever.
    assert!(written >= 65536, "only {written} bytes went in");
    assert!(written < 1 << 20, "{written} bytes went in");
}

#[test]
fn a_socket_pair_carries_both_directions_and_shutdown_ends_one() {
    let (out, _) = run_forking(&mut Command::new(bin!("duplex")));
    out.assert_success();
    let text = out.stdout_text();
    assert_eq!(
        text,
        "the child answered: HELLO FROM THE PARENT (21 bytes)\nchild exited with status 0\n"
    );
    check_output!("../../output/duplex.txt", &text);
}

#[test]
fn writes_of_pipe_buf_bytes_are_never_interleaved_larger_ones_are() {
    let (out, _) = run_forking(&mut Command::new(bin!("pipe_atomic")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(
        text.starts_with("PIPE_BUF is 4096 bytes; this pipe holds 65536 bytes\n"),
        "{text}"
    );
    assert!(
        text.contains("  4096-byte records:    0 of 1024 torn\n"),
        "{text}"
    );
    let big = text
        .lines()
        .find(|line| line.starts_with("100000-byte"))
        .unwrap();
    let torn: usize = big.split_whitespace().nth(2).unwrap().parse().unwrap();
    assert!(torn > 0, "no 100000-byte record was torn: {text}");
    // The count varies from run to run; the book shows one real run.
    let shown = Normalizer::new()
        .replace(
            r"100000-byte records: +\d+ of",
            "100000-byte records: 1004 of",
        )
        .apply(&text);
    check_output!("../../output/pipe_atomic.txt", &shown);
}

#[test]
fn python_duplex_pipes_are_socket_pairs_and_one_way_pipes_are_pipes() {
    if !have("python3") {
        eprintln!("note: no python3; Python's Pipe not checked");
        return;
    }
    let script = "
import multiprocessing as mp, os, stat
a, b = mp.Pipe()
r, w = mp.Pipe(duplex=False)
print(stat.S_ISSOCK(os.fstat(a.fileno()).st_mode), stat.S_ISFIFO(os.fstat(r.fileno()).st_mode))
try:
    r.send(1)
except OSError as err:
    print(err)
w.send_bytes(b'hi')
print(r.recv_bytes())
w.close()  # the only write end: now r sees end of file
try:
    r.recv()
except EOFError:
    print('EOFError')
";
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "True True\nconnection is read-only\nb'hi'\nEOFError\n"
    );
}
