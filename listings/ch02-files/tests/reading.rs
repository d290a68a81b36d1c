use std::fs;
use std::process::Command;

use harness::{check_output, run};

#[test]
fn read_lines_keeps_each_newline_and_ends_with_a_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    fs::write(&path, "first\nsecond\nno newline at the end").unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_read_lines")).arg(&path));
    out.assert_success();
    check_output!("../output/read_lines.txt", &out.stdout_text());
}

#[test]
fn read_lines_reports_a_missing_file_like_cat() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_read_lines"))
        .arg("missing.txt")
        .current_dir(dir.path()));
    assert_eq!(out.code(), Some(1));
    check_output!("../output/read_lines_missing.txt", &out.stderr_text());
    assert_eq!(
        out.stderr_text(),
        "read_lines: missing.txt: No such file or directory\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn chunks_counts_bytes_and_lines_in_fixed_size_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lines.txt");
    // 200,000 lines of 10 bytes: 2,000,000 bytes, more than 30 chunks.
    let line = b"123456789\n";
    fs::write(&path, line.repeat(200_000)).unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_chunks")).arg(&path));
    out.assert_success();
    check_output!("../output/chunks.txt", &out.stdout_text());
    // ceil(2,000,000 / 65,536) = 31 reads of at most 64 KiB.
    assert_eq!(out.stdout_text(), "2000000 bytes, 200000 lines, 31 reads\n");
}

#[test]
fn chunks_reads_a_file_twice_as_big_as_its_address_space_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    // A sparse 64 MiB file: no disk space, but every byte reads as zero.
    fs::File::create(&path)
        .unwrap()
        .set_len(64 * 1024 * 1024)
        .unwrap();
    // `ulimit -v 32768` caps the whole address space at 32 MiB: a program
    // that loaded the file whole could not even allocate the buffer.
    let out = run(Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 32768 && exec "$0" "$1""#)
        .arg(env!("CARGO_BIN_EXE_chunks"))
        .arg(&path));
    out.assert_success();
    check_output!("../output/chunks_ulimit.txt", &out.stdout_text());
    assert_eq!(out.stdout_text(), "67108864 bytes, 0 lines, 1024 reads\n");
}

#[test]
fn chunks_fails_like_cat_on_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_chunks")).arg(dir.path()));
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        format!("chunks: {}: Is a directory\n", dir.path().display())
    );
}
