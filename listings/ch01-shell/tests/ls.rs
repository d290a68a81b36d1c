mod common;

use std::fs;
use std::io::{self, Read, Seek};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

use common::{coreutils, ours, same_as_coreutils, session};
use harness::{ChildGuard, DEADLINE, check_output};

/// Names that sort differently by bytes than by eye, hidden names, a
/// name with a space and one that is not UTF-8.
fn names(dir: &Path) {
    for name in [
        "notes.txt",
        ".profile",
        "my file",
        "B",
        "_under",
        "#hash",
        "-dash",
        "a",
    ] {
        fs::write(dir.join(name), name).unwrap();
    }
    fs::write(dir.join(std::ffi::OsStr::from_bytes(b"caf\xe9")), "latin-1").unwrap();
    fs::create_dir(dir.join("docs")).unwrap();
    fs::create_dir(dir.join("empty")).unwrap();
    fs::write(dir.join("docs/b"), "").unwrap();
    fs::write(dir.join("docs/a"), "").unwrap();
    fs::write(dir.join("docs/.draft"), "").unwrap();
}

#[test]
fn ls_sorts_names_by_their_bytes_like_coreutils() {
    let both = same_as_coreutils("ls", &[] as &[&str], names);
    assert_eq!(
        both.ours.stdout,
        b"#hash\n-dash\nB\n_under\na\ncaf\xe9\ndocs\nempty\nmy file\nnotes.txt\n"
    );
}

#[test]
fn ls_a_adds_hidden_names_and_dot_and_dotdot_like_coreutils() {
    let both = same_as_coreutils("ls", &["-a"], names);
    let text = both.ours.stdout_text();
    let shown: Vec<_> = text.lines().take(5).collect();
    assert_eq!(shown, ["#hash", "-dash", ".", "..", ".profile"]);
}

#[test]
fn ls_capital_a_shows_hidden_names_but_not_dot_and_dotdot() {
    let both = same_as_coreutils("ls", &["-A", "docs"], names);
    assert_eq!(both.ours.stdout_text(), ".draft\na\nb\n");
    // The last of -a and -A wins.
    same_as_coreutils("ls", &["-A", "-a", "docs"], names);
    same_as_coreutils("ls", &["-aA", "docs"], names);
}

#[test]
fn ls_lists_files_first_then_each_directory_under_its_name() {
    let both = same_as_coreutils("ls", &["docs", "notes.txt", "empty", "missing"], names);
    assert_eq!(
        both.ours.stdout_text(),
        "notes.txt\n\ndocs:\na\nb\n\nempty:\n"
    );
    assert_eq!(
        both.ours.stderr_text(),
        "ls: cannot access 'missing': No such file or directory\n"
    );
    assert_eq!(both.ours.code(), Some(2));
}

#[test]
fn ls_of_one_directory_prints_no_heading() {
    let both = same_as_coreutils("ls", &["docs"], names);
    assert_eq!(both.ours.stdout_text(), "a\nb\n");
}

#[test]
fn ls_quotes_awkward_names_in_messages_like_coreutils() {
    let awkward = [
        &b"my file"[..],
        b"it's",
        b"a'b\"c",
        b"caf\xc3\xa9",
        b"caf\xe9",
        b"tab\there",
        b"new\nline",
        b"#x",
        b"x#",
        b"",
    ];
    let args: Vec<_> = awkward
        .iter()
        .map(|name| std::ffi::OsStr::from_bytes(name))
        .collect();
    let both = same_as_coreutils("ls", &args, |_| {});
    assert!(
        both.ours
            .stderr_text()
            .contains(r"ls: cannot access 'caf'$'\303\251': No such file or directory")
    );
}

#[test]
fn ls_rejects_an_unknown_option_like_coreutils() {
    let both = same_as_coreutils("ls", &["-z"], names);
    assert_eq!(
        both.ours.stderr_text(),
        "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n"
    );
    assert_eq!(both.ours.code(), Some(2));
}

/// SIGPIPE's number on Linux (signal(7)).
const SIGPIPE: i32 = 13;

/// Runs `ls` with its standard output a pipe whose read end is already
/// closed, in a directory whose listing is larger than a pipe holds, and
/// returns its exit status and what it wrote to stderr.
fn ls_into_a_closed_pipe(mut ls: Command) -> (ExitStatus, String) {
    let dir = tempfile::tempdir().unwrap();
    // 400 names of 200 bytes: 80 KB of output, more than a pipe's 64 KiB, so
    // ls meets EPIPE even if another test's child briefly held the read end.
    for number in 0..400 {
        fs::write(dir.path().join(format!("{number:0>200}")), "").unwrap();
    }
    let (reader, writer) = io::pipe().unwrap();
    drop(reader);
    let mut stderr = tempfile::tempfile().unwrap();
    ls.current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(stderr.try_clone().unwrap());
    let mut child = ChildGuard::spawn(&mut ls).unwrap();
    drop(ls); // our copy of the write end
    let status = child
        .wait_timeout(DEADLINE)
        .unwrap()
        .expect("ls exits when its reader is gone");
    let mut text = String::new();
    stderr.rewind().unwrap(); // ls's writes moved the shared offset
    stderr.read_to_string(&mut text).unwrap();
    (status, text)
}

#[test]
fn ls_stops_quietly_when_its_reader_goes_away() {
    let (status, stderr) = ls_into_a_closed_pipe(ours("ls"));
    assert_eq!(stderr, "", "no `write error: Broken pipe` message");
    assert_eq!(status.code(), Some(2), "ls's status for trouble");
    // Coreutils' ls is killed by SIGPIPE, which says nothing either.
    let (status, stderr) = ls_into_a_closed_pipe(coreutils("ls"));
    assert_eq!((status.signal(), stderr.as_str()), (Some(SIGPIPE), ""));
}

#[test]
fn ls_session_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shown = session(
        dir.path(),
        &[],
        &[
            "mkdir docs && touch notes.txt .profile 'my file' docs/a docs/b",
            "$bin/ls",
            "$bin/ls -a",
            "$bin/ls docs notes.txt missing",
            "echo $?",
        ],
    );
    check_output!("../output/ls.txt", &shown);
}

#[test]
fn names_session_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shown = session(
        dir.path(),
        &[],
        &[
            "$bin/touch 'my notes.txt' \"it's\" \"$(printf 'caf\\351')\"",
            "$bin/ls | od -c",
            "$bin/mkdir 'my notes.txt' \"it's\" \"$(printf 'caf\\351')\" new",
            "$bin/cat 'no such file' no-such-file",
        ],
    );
    check_output!("../output/names.txt", &shown);
}
