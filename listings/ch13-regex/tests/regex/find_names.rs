//! File names are bytes: a bytes::Regex matches names that are not UTF-8.

use std::ffi::OsStr;
use std::fs::File;
use std::os::unix::ffi::OsStrExt;
use std::process::Command;

use harness::{check_output, run};

#[test]
fn find_names_matches_names_that_are_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        &b"caf\xe9.log"[..],
        "汉字.LOG".as_bytes(),
        b"notes.txt",
        b"app.log.1",
    ] {
        File::create(dir.path().join(OsStr::from_bytes(name))).unwrap();
    }
    let out = run(Command::new(env!("CARGO_BIN_EXE_find_names"))
        .arg(dir.path())
        .arg(r"(?i)\.log$"));
    out.assert_success();
    assert_eq!(out.stdout_text(), "caf\\xe9.log\n汉字.LOG\n");
    check_output!("../../output/find_names.txt", &out.stdout_text());
}

#[test]
fn find_names_reports_a_bad_pattern_and_a_missing_directory() {
    let out =
        run(Command::new(env!("CARGO_BIN_EXE_find_names")).args(["/", "("]));
    assert_eq!(out.code(), Some(1), "{out}");
    assert!(out.stderr_text().contains("unclosed group"), "{out}");
    let out = run(Command::new(env!("CARGO_BIN_EXE_find_names"))
        .args(["/no/such/dir", "x"]));
    assert_eq!(out.code(), Some(1), "{out}");
    assert_eq!(
        out.stderr_text(),
        "find_names: /no/such/dir: No such file or directory (os error 2)\n"
    );
}
