mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{bin_dir, binary, coreutils, ours, same_as_coreutils, session};
use harness::{check_output, run, run_with};

/// Bigger than any buffer on the way: io::copy's 8 KiB, a pipe's 64 KiB.
const BIG: usize = 3 * 1024 * 1024 + 123;

fn files(dir: &Path) {
    fs::write(dir.join("hello.txt"), "hello\n").unwrap();
    fs::write(dir.join("empty"), "").unwrap();
    fs::write(dir.join("no-newline"), "last line").unwrap();
    fs::write(dir.join("binary"), b"one\0two\xff\xfe\n\0").unwrap();
    fs::write(dir.join("big"), binary(BIG)).unwrap();
    fs::write(dir.join("my notes.txt"), "spaces are fine\n").unwrap();
    fs::create_dir(dir.join("docs")).unwrap();
}

#[test]
fn cat_copies_text_files_unchanged_like_coreutils() {
    let both = same_as_coreutils("cat", &["hello.txt", "no-newline", "hello.txt"], files);
    assert_eq!(both.ours.stdout, b"hello\nlast linehello\n");
    assert_eq!(both.ours.code(), Some(0));
}

#[test]
fn cat_of_an_empty_file_prints_nothing() {
    let both = same_as_coreutils("cat", &["empty"], files);
    assert!(both.ours.stdout.is_empty());
    assert_eq!(both.ours.code(), Some(0));
}

#[test]
fn cat_copies_nul_bytes_and_invalid_utf8_unchanged() {
    let both = same_as_coreutils("cat", &["binary"], files);
    assert_eq!(both.ours.stdout, b"one\0two\xff\xfe\n\0");
}

#[test]
fn cat_copies_a_file_larger_than_its_buffers() {
    let both = same_as_coreutils("cat", &["big", "hello.txt"], files);
    assert_eq!(both.ours.stdout.len(), BIG + 6);
    assert_eq!(both.ours.stdout[..BIG], binary(BIG)[..]);
}

#[test]
fn cat_reads_standard_input_without_operands_or_for_dash() {
    let dir = common::fixture(files);
    let input = binary(200_000);
    for args in [&[][..], &["-"], &["hello.txt", "-"]] {
        let ours = run_with(
            ours("cat").args(args).current_dir(dir.path()),
            &input,
            harness::DEADLINE,
        );
        let theirs = run_with(
            coreutils("cat").args(args).current_dir(dir.path()),
            &input,
            harness::DEADLINE,
        );
        assert_eq!(ours.stdout, theirs.stdout, "cat {args:?}");
        assert!(ours.stdout.ends_with(&input));
    }
}

#[test]
fn cat_reports_a_missing_file_and_goes_on_with_the_next() {
    let both = same_as_coreutils("cat", &["hello.txt", "missing.txt", "hello.txt"], files);
    assert_eq!(both.ours.stdout, b"hello\nhello\n");
    assert_eq!(
        both.ours.stderr_text(),
        "cat: missing.txt: No such file or directory\n"
    );
    assert_eq!(both.ours.code(), Some(1));
}

#[test]
fn cat_quotes_a_name_only_when_a_shell_would_need_it() {
    let both = same_as_coreutils("cat", &["my notes.txt", "gone", "my notes"], files);
    assert_eq!(
        both.ours.stderr_text(),
        "cat: gone: No such file or directory\n\
         cat: 'my notes': No such file or directory\n"
    );
}

#[test]
fn cat_of_a_directory_fails_with_is_a_directory() {
    let both = same_as_coreutils("cat", &["docs"], files);
    assert_eq!(both.ours.stderr_text(), "cat: docs: Is a directory\n");
    assert_eq!(both.ours.code(), Some(1));
}

/// Runs `cat FILE` with stdout on /dev/full, where every write fails
/// with ENOSPC.
fn cat_into_dev_full(cat: &Path, file: &str) -> harness::Output {
    let dir = common::fixture(files);
    run(Command::new("sh")
        .args(["-c", r#"exec "$0" "$1" > /dev/full"#])
        .arg(cat)
        .arg(file)
        .env("LC_ALL", "C")
        .current_dir(dir.path()))
}

#[test]
fn cat_blames_a_full_output_on_writing_like_coreutils() {
    // Without a final newline the bytes wait in stdout's buffer until the
    // final flush: its failure must be reported too, not lost at exit.
    for file in ["hello.txt", "no-newline"] {
        let ours = cat_into_dev_full(&bin_dir().join("cat"), file);
        let theirs = cat_into_dev_full(Path::new("cat"), file);
        assert_eq!(
            ours.stderr_text(),
            "cat: write error: No space left on device\n",
            "{file}"
        );
        assert_eq!(ours.stderr_text(), theirs.stderr_text(), "{file}");
        assert_eq!(ours.code(), Some(1), "{file}");
        assert_eq!(ours.code(), theirs.code(), "{file}");
    }
}

#[test]
fn cat_stops_quietly_when_its_reader_goes_away() {
    let dir = common::fixture(files);
    // head exits after 5 bytes; cat's next write fails with EPIPE.
    let out = run(Command::new("sh")
        .args(["-c", r#""$0" big | head -c 5; echo " head done""#])
        .arg(bin_dir().join("cat"))
        .current_dir(dir.path()));
    assert_eq!(out.stdout, [&binary(5)[..], b" head done\n"].concat());
    assert_eq!(out.stderr_text(), "", "no `Broken pipe` message");
}

#[test]
fn cat_session_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shown = session(
        dir.path(),
        &[],
        &[
            "printf 'hello\\n' > hello.txt",
            "$bin/cat hello.txt missing.txt hello.txt",
            "echo $?",
            "printf 'one\\0two\\377\\n' | $bin/cat | od -c",
        ],
    );
    check_output!("../output/cat.txt", &shown);
}
