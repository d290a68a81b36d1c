use std::fs;
use std::process::Command;

use harness::{check_output, run};

#[test]
fn short_write_fills_the_pipe_then_write_all_finishes() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_short_write")));
    out.assert_success();
    let text = out.stdout_text();
    // The short write is exactly the pipe's capacity, whatever it is here.
    let capacity: usize = text
        .split_whitespace()
        .nth(3)
        .and_then(|word| word.parse().ok())
        .unwrap_or_else(|| panic!("no capacity in:\n{text}"));
    assert!(text.contains(&format!("write(1 MiB) returned {capacity}: a short write")));
    let rest = 1024 * 1024 - capacity;
    assert!(text.contains(&format!("the other {rest} bytes")));
    assert!(text.ends_with("the reader received 1048576 bytes in all\n"));
    // A user over /proc/sys/fs/pipe-user-pages-soft gets one-page pipes:
    // show the book's default 64 KiB pipe whatever this machine gave us.
    let shown = text
        .replace(&format!(" {capacity} "), " 65536 ")
        .replace(&format!(" {capacity}:"), " 65536:")
        .replace(&format!(" {rest} "), " 983040 ");
    check_output!("../output/short_write.txt", &shown);
}

#[test]
fn lost_output_shows_what_survives_each_way_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_lost_output")).arg(dir.path()));
    out.assert_success();
    check_output!("../output/lost_output.txt", &out.stdout_text());
}

/// Runs lost_output as the child that ends by `how`; returns (status
/// code, stdout, log file contents).
fn end_by(how: &str) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("out.log");
    let out = run(Command::new(env!("CARGO_BIN_EXE_lost_output"))
        .arg(how)
        .arg(&log));
    let written = fs::read_to_string(&log).unwrap();
    (out.code(), out.stdout_text(), written)
}

#[test]
fn returning_from_main_flushes_the_bufwriter() {
    assert_eq!(
        end_by("return"),
        (
            Some(0),
            "stdout, no newline".to_owned(),
            "a line in the BufWriter\n".to_owned()
        )
    );
}

#[test]
fn a_panic_unwinds_and_flushes_the_bufwriter() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("out.log");
    let out = run(Command::new(env!("CARGO_BIN_EXE_lost_output"))
        .arg("panic")
        .arg(&log));
    assert_eq!(out.code(), Some(101));
    assert!(out.stderr_text().contains("on purpose"));
    assert_eq!(out.stdout_text(), "stdout, no newline");
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        "a line in the BufWriter\n"
    );
}

#[test]
fn process_exit_loses_the_bufwriter_but_flushes_stdout() {
    assert_eq!(
        end_by("exit"),
        (Some(0), "stdout, no newline".to_owned(), String::new())
    );
}

#[test]
fn sigkill_loses_both_buffers() {
    let (code, stdout, log) = end_by("kill");
    assert_eq!(code, None, "killed by a signal, so no exit code");
    assert_eq!(stdout, "");
    assert_eq!(log, "");
}

#[test]
fn flush_error_reports_enospc_at_flush_and_nothing_at_drop() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_flush_error")));
    out.assert_success();
    assert_eq!(out.stderr_text(), "", "drop must not print anything");
    let text = out.stdout_text();
    check_output!("../output/flush_error.txt", &text);
    assert!(text.starts_with("write into the BufWriter: Ok(13)\nflush: No space left on device"));
}
