//! Exercise 7.1: A tee for programs
//! Edit: exercises/ch07-ipc/src/bin/fanout.rs
//! Hint: Spawn each command with `Stdio::piped()` stdin and keep its `ChildStdin`; copy your stdin to each in chunks. On `ErrorKind::BrokenPipe` drop that one pipe and go on. At the end, drop every `ChildStdin` before you `wait`: a command reads end of file only once the last write end of its pipe is closed.

use std::fs;
use std::path::Path;
use std::process::Command;

use harness::{DEADLINE, Output, exercise_bin, run_with};

/// One MiB that is not all the same byte, so that a reordering shows.
fn input() -> Vec<u8> {
    (0..1 << 20).map(|i: u32| (i % 251) as u8).collect()
}

fn fanout(dir: &Path, commands: &[&str], stdin: &[u8]) -> Output {
    run_with(
        Command::new(exercise_bin!("fanout"))
            .args(commands)
            .current_dir(dir),
        stdin,
        DEADLINE,
    )
}

#[test]
fn every_command_gets_all_of_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = input();
    let out = fanout(
        dir.path(),
        &["cat > one", "cat > two", "cat > three"],
        &input,
    );
    assert_eq!(out.code(), Some(0), "{out}");
    for name in ["one", "two", "three"] {
        let got = fs::read(dir.path().join(name)).unwrap();
        assert!(
            got == input,
            "{name}: {} bytes, not the 1 MiB of input",
            got.len()
        );
    }
}

#[test]
fn empty_input_still_reaches_end_of_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = fanout(dir.path(), &["cat > one", "wc -c > count"], b"");
    assert_eq!(out.code(), Some(0), "{out}");
    assert_eq!(fs::read(dir.path().join("one")).unwrap(), b"");
    assert_eq!(
        fs::read_to_string(dir.path().join("count")).unwrap().trim(),
        "0"
    );
}

#[test]
fn a_command_that_stops_reading_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let input = input();
    let out = fanout(dir.path(), &["head -c 10 > one", "cat > two"], &input);
    assert_eq!(out.code(), Some(0), "head exits 0, so all is well: {out}");
    assert_eq!(fs::read(dir.path().join("one")).unwrap(), &input[..10]);
    assert!(
        fs::read(dir.path().join("two")).unwrap() == input,
        "two lost input"
    );
}

#[test]
fn each_failing_command_is_reported_and_the_status_is_1() {
    let dir = tempfile::tempdir().unwrap();
    let input = input();
    let out = fanout(dir.path(), &["cat > one; exit 3", "cat > two"], &input);
    assert_eq!(out.code(), Some(1), "{out}");
    assert!(
        out.stderr_text()
            .contains("fanout: cat > one; exit 3: exit status: 3"),
        "{out}"
    );
    assert!(
        fs::read(dir.path().join("two")).unwrap() == input,
        "two lost input"
    );
}

#[test]
fn no_command_inherits_the_pipe_of_another() {
    // The second command waits (at most 5 s) until the first has finished.
    // The first finishes only when its input ends, which happens only if
    // the second does not hold a copy of the first one's write end.
    let dir = tempfile::tempdir().unwrap();
    let first = "cat > one && touch one.done";
    let second = "cat > /dev/null; i=0; \
        while [ ! -e one.done ]; do i=$((i+1)); [ $i -gt 100 ] && exit 7; sleep 0.05; done";
    let out = fanout(dir.path(), &[first, second], b"hello\n");
    assert_eq!(
        out.code(),
        Some(0),
        "the first command never saw end of file while the second ran: \
         does the second inherit the first one's pipe? {out}"
    );
}

#[test]
fn no_command_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = fanout(dir.path(), &[], b"");
    assert_eq!(out.code(), Some(2), "{out}");
    assert!(out.stderr_text().contains("usage"), "{out}");
}
