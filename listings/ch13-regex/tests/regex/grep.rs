//! The small grep against GNU `grep -P`: the same bytes out, the same exit
//! status, on patterns both support.

use std::fs;
use std::path::Path;
use std::process::Command;

use harness::{Output, check_output, run_with};

/// A directory of small files to search.
fn files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        fs::write(dir.path().join(name), bytes).unwrap()
    };
    write(
        "a.txt",
        "alpha\nBeta 2\ngamma\n汉字 Éclair\nno newline".as_bytes(),
    );
    write("b.txt", b"delta\n-x marks\n\nALPHA 42\n");
    write(
        "log.txt",
        b"2024-05-01 ERROR disk full\n2024-05-01 INFO ok\n2024-05-02 error: retry\n",
    );
    write("latin1.txt", b"caf\xe9 latin-1\nplain ascii\n");
    fs::create_dir(dir.path().join("dir")).unwrap();
    dir
}

fn grep(
    program: &str,
    dir: &Path,
    locale: &str,
    args: &[&str],
    stdin: &[u8],
) -> Output {
    let mut cmd = Command::new(program);
    if program == "grep" {
        cmd.arg("-P");
    }
    cmd.args(args).current_dir(dir).env("LC_ALL", locale);
    run_with(&mut cmd, stdin, harness::DEADLINE)
}

/// GNU grep with `-P`, if this grep has it.
fn gnu_grep_has_pcre() -> bool {
    let dir = tempfile::tempdir().unwrap();
    let out = grep("grep", dir.path(), "C.UTF-8", &["x"], b"x\n");
    if out.code() != Some(0) {
        eprintln!(
            "note: GNU grep -P is not available here; the comparison is skipped: {out}"
        );
        return false;
    }
    true
}

/// (arguments, standard input, compare standard error too)
const CASES: &[(&[&str], &[u8], bool)] = &[
    (&["a", "a.txt"], b"", true),
    (&["-n", "a", "a.txt"], b"", true),
    (&["-c", "a", "a.txt", "b.txt"], b"", true),
    (&["-v", "a", "a.txt"], b"", true),
    (&["-vc", "a", "a.txt"], b"", true),
    (&["-in", "alpha", "a.txt", "b.txt"], b"", true),
    (&["-i", "ÉCLAIR", "a.txt"], b"", true),
    (&["-i", "éclair", "a.txt"], b"", true),
    (&["^(al|ga)m?", "a.txt"], b"", true),
    (&["a{2}|\\d+$", "a.txt", "b.txt"], b"", true),
    (&["newline$", "a.txt"], b"", true),
    (&["汉.", "a.txt"], b"", true),
    (&["^$", "-n", "b.txt"], b"", true),
    (&["", "b.txt"], b"", true),
    (&["nothing", "a.txt"], b"", true),
    (&["-c", "nothing", "a.txt"], b"", true),
    (&["--", "-x", "b.txt"], b"", true),
    (&["(?i)error", "log.txt"], b"", true),
    (&["-n", "ERROR|error:", "log.txt"], b"", true),
    (&["\\d{4}-\\d\\d-02", "log.txt"], b"", true),
    (&["h"], b"hi\nho\nxx\n", true),
    (&["-n", "h", "-", "a.txt"], b"hi\n", true),
    (&["a", "missing.txt"], b"", true),
    (&["a", "a.txt", "missing.txt"], b"", true),
    (&["a", "dir"], b"", true),
    (&["x", "a.txt", "dir", "b.txt"], b"", true),
    (&["(", "a.txt"], b"", false),
];

#[test]
fn grep_prints_what_gnu_grep_p_prints_with_the_same_status() {
    if !gnu_grep_has_pcre() {
        return;
    }
    let dir = files();
    let mut failures = Vec::new();
    for (args, stdin, compare_stderr) in CASES {
        let ours = grep(
            env!("CARGO_BIN_EXE_grep"),
            dir.path(),
            "C.UTF-8",
            args,
            stdin,
        );
        let gnu = grep("grep", dir.path(), "C.UTF-8", args, stdin);
        let stderr_differs = *compare_stderr && ours.stderr != gnu.stderr;
        if ours.stdout != gnu.stdout
            || ours.code() != gnu.code()
            || stderr_differs
        {
            failures.push(format!(
                "grep {args:?}\n--- ours: {ours}\n--- GNU: {gnu}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn grep_searches_bytes_that_are_not_utf8_like_gnu_grep_in_the_c_locale() {
    if !gnu_grep_has_pcre() {
        return;
    }
    let dir = files();
    for args in [
        &["latin", "latin1.txt"][..],
        &["-n", "caf", "latin1.txt"],
        &["-v", "ascii", "latin1.txt"],
    ] {
        let ours = grep(env!("CARGO_BIN_EXE_grep"), dir.path(), "C", args, b"");
        let gnu = grep("grep", dir.path(), "C", args, b"");
        assert_eq!(
            ours.stdout, gnu.stdout,
            "{args:?}\nours: {ours}\nGNU: {gnu}"
        );
        assert_eq!(ours.code(), gnu.code(), "{args:?}");
    }
    // In a UTF-8 locale GNU grep calls the file binary and prints no line
    // of it (GNU grep 3.5 and later say so on standard error).
    let gnu =
        grep("grep", dir.path(), "C.UTF-8", &["latin", "latin1.txt"], b"");
    assert_eq!(gnu.code(), Some(0), "{gnu}");
    assert!(!gnu.stdout_text().contains("latin-1"), "{gnu}");
    let said = format!("{}{}", gnu.stdout_text(), gnu.stderr_text());
    assert!(said.contains("inary file"), "{gnu}");
    let ours = grep(
        env!("CARGO_BIN_EXE_grep"),
        dir.path(),
        "C",
        &["latin"],
        b"caf\xe9 latin-1\n",
    );
    assert_eq!(ours.stdout, b"caf\xe9 latin-1\n");
}

#[test]
fn grep_shows_line_numbers_and_counts() {
    let dir = files();
    let out = grep(
        env!("CARGO_BIN_EXE_grep"),
        dir.path(),
        "C.UTF-8",
        &["-in", "error", "log.txt"],
        b"",
    );
    out.assert_success();
    check_output!("../../output/grep.txt", &out.stdout_text());
    let out = grep(
        env!("CARGO_BIN_EXE_grep"),
        dir.path(),
        "C.UTF-8",
        &["-c", "2024", "log.txt", "missing.txt"],
        b"",
    );
    assert_eq!(out.code(), Some(2));
    let shown =
        format!("{}{}exit status 2\n", out.stdout_text(), out.stderr_text());
    check_output!("../../output/grep_count.txt", &shown);
}

#[test]
fn grep_refuses_a_bad_option_and_a_missing_pattern_with_status_2() {
    let dir = files();
    for args in [&["-z", "a", "a.txt"][..], &[]] {
        let out =
            grep(env!("CARGO_BIN_EXE_grep"), dir.path(), "C.UTF-8", args, b"");
        assert_eq!(out.code(), Some(2), "{args:?}: {out}");
        assert!(out.stderr_text().contains("Usage: grep"), "{out}");
    }
}
