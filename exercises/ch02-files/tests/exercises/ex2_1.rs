//! Exercise 2.1: `tail -f`: following a growing file
//! Edit: exercises/ch02-files/src/bin/tail_follow.rs
//! Hint: Seek to `SeekFrom::End(0)` for the length, then read blocks backwards (seek to `end - block`, `read_exact`) counting `\n`s, skipping the file's final newline. Print from there, remember your offset, and loop: read to end of file, write, `flush()`, then compare `file.metadata()?.len()` with your offset — smaller means truncated, equal means sleep 100 ms and look again.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use harness::{ChildGuard, DEADLINE, exercise_bin, run};

/// One output stream of a running program, read by a thread.
struct Stream {
    chunks: Receiver<Vec<u8>>,
    seen: Vec<u8>,
    ended: bool,
}

impl Stream {
    fn start(mut pipe: impl Read + Send + 'static) -> Self {
        let (sender, chunks) = mpsc::channel();
        thread::spawn(move || {
            let mut buf = [0; 4096];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if sender.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                    Err(err) if err.kind() == ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
        });
        Stream {
            chunks,
            seen: Vec::new(),
            ended: false,
        }
    }

    /// Collects output until `done` says so, the stream ends, or the
    /// deadline passes.
    fn wait_until(&mut self, deadline: Instant, done: impl Fn(&str) -> bool) {
        while !done(&self.text()) && !self.ended {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok(chunk) => self.seen.extend(chunk),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => self.ended = true,
            }
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.seen).into_owned()
    }
}

/// A `tail -f` running on a file, killed when the test ends.
struct Follower {
    command_line: String,
    /// What it calls itself in messages: `tail_follow`, or `tail`.
    name: &'static str,
    child: ChildGuard,
    stdout: Stream,
    stderr: Stream,
}

impl Follower {
    fn start(name: &'static str, cmd: &mut Command) -> Self {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = ChildGuard::spawn(cmd).unwrap();
        let stdout = Stream::start(child.child_mut().stdout.take().unwrap());
        let stderr = Stream::start(child.child_mut().stderr.take().unwrap());
        Follower {
            command_line: child.program().to_owned(),
            name,
            child,
            stdout,
            stderr,
        }
    }

    /// Waits until everything printed so far is `stdout`, and `stderr`
    /// (written with `tail_follow:`) has come too.
    fn expect(&mut self, stdout: &str, stderr: &str) {
        let deadline = Instant::now() + DEADLINE;
        self.stdout
            .wait_until(deadline, |seen| seen.len() >= stdout.len());
        let stderr = stderr.replace("tail_follow:", &format!("{}:", self.name));
        let ours = self.name == "tail_follow";
        // Ours must print exactly that; GNU tail may say more (that it
        // cannot use inotify, say), which is not ours to judge.
        self.stderr.wait_until(deadline, |seen| {
            if ours {
                seen.len() >= stderr.len()
            } else {
                seen.contains(&stderr)
            }
        });
        let stderr_ok = if ours {
            self.stderr.text() == stderr
        } else {
            self.stderr.text().contains(&stderr)
        };
        if self.stdout.text() != stdout || !stderr_ok {
            self.fail(stdout, &stderr);
        }
    }

    /// Fails the test, showing what was expected and what came.
    fn fail(&mut self, stdout: &str, stderr: &str) -> ! {
        let state = match self.child.wait_timeout(Duration::ZERO) {
            Ok(Some(status)) => {
                // It has exited: collect what it said on the way out.
                let soon = Instant::now() + Duration::from_secs(2);
                self.stdout.wait_until(soon, |_| false);
                self.stderr.wait_until(soon, |_| false);
                format!("it has exited ({status})")
            }
            _ => "it is still running".to_owned(),
        };
        panic!(
            "`{}`: {state}.\n\
             standard output should be {stdout:?}\n\
             but it is                 {:?}\n\
             standard error should be  {stderr:?}\n\
             and it is                 {:?}",
            self.command_line,
            self.stdout.text(),
            self.stderr.text()
        );
    }

    /// The process ID of the follower.
    fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// The exercise, and GNU `tail -f` beside it on the same file when this
/// system has it, so that every expectation is checked against both.
struct Tails {
    followers: Vec<Follower>,
}

impl Tails {
    fn start(dir: &Path, args: &[&str]) -> Self {
        let mut ours = Command::new(exercise_bin!("tail_follow"));
        ours.args(args).current_dir(dir);
        let mut followers = vec![Follower::start("tail_follow", &mut ours)];
        if gnu_tail() {
            let mut theirs = Command::new("tail");
            theirs
                .arg("-f")
                .args(args)
                .current_dir(dir)
                .env("LC_ALL", "C");
            followers.push(Follower::start("tail", &mut theirs));
        }
        Tails { followers }
    }

    fn expect(&mut self, stdout: &str, stderr: &str) {
        for follower in &mut self.followers {
            follower.expect(stdout, stderr);
        }
    }

    fn ours(&self) -> &Follower {
        &self.followers[0]
    }
}

fn gnu_tail() -> bool {
    let version = Command::new("tail").arg("--version").output();
    let is_gnu = version.is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("GNU"));
    if !is_gnu {
        eprintln!("note: GNU tail is not installed; not comparing with `tail -f`");
    }
    is_gnu
}

/// `from\n` … `to\n`.
fn numbered(from: u32, to: u32) -> String {
    (from..=to).map(|n| format!("{n}\n")).collect()
}

fn append(path: &Path, text: &str) {
    let mut file = OpenOptions::new().append(true).open(path).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

#[test]
fn prints_the_last_ten_lines_then_what_is_appended() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    fs::write(&log, numbered(1, 25)).unwrap();
    let mut tails = Tails::start(dir.path(), &["log"]);
    tails.expect(&numbered(16, 25), "");
    append(&log, "26\n");
    tails.expect(&numbered(16, 26), "");
    append(&log, "27\n28\n");
    tails.expect(&numbered(16, 28), "");
}

#[test]
fn dash_n_chooses_how_many_lines() {
    let dir = tempfile::tempdir().unwrap();
    for (count, first) in [("3", 23), ("100", 1)] {
        let name = format!("log-{count}");
        let log = dir.path().join(&name);
        fs::write(&log, numbered(1, 25)).unwrap();
        let mut tails = Tails::start(dir.path(), &["-n", count, &name]);
        tails.expect(&numbered(first, 25), "");
        append(&log, "more\n");
        tails.expect(&(numbered(first, 25) + "more\n"), "");
    }
}

#[test]
fn dash_n_0_prints_only_what_is_appended() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    fs::write(&log, numbered(1, 25)).unwrap();
    let mut tails = Tails::start(dir.path(), &["-n", "0", "log"]);
    // Nothing is printed at first, so nothing says when a follower has
    // found the end of the file. Append numbered lines until every
    // follower has printed something (or stopped).
    let deadline = Instant::now() + DEADLINE;
    let mut appended = 0;
    let waiting = |tails: &Tails| {
        let waiting =
            |follower: &Follower| follower.stdout.seen.is_empty() && !follower.stdout.ended;
        tails.followers.iter().any(waiting)
    };
    while waiting(&tails) && Instant::now() < deadline {
        appended += 1;
        append(&log, &format!("more {appended}\n"));
        for follower in &mut tails.followers {
            let a_while = Instant::now() + Duration::from_millis(300);
            follower.stdout.wait_until(a_while, |seen| !seen.is_empty());
        }
    }
    // Each prints a run of the appended lines that ends with the last one:
    // none of the 25 lines that were there before, none twice.
    let last = format!("more {appended}\n");
    for follower in &mut tails.followers {
        follower
            .stdout
            .wait_until(deadline, |seen| seen.ends_with(&last));
        let text = follower.stdout.text();
        let first = text
            .strip_prefix("more ")
            .and_then(|rest| rest.split('\n').next())
            .and_then(|number| number.parse().ok())
            .unwrap_or(1);
        let expected: String = (first..=appended).map(|n| format!("more {n}\n")).collect();
        if text != expected {
            follower.fail(&expected, "");
        }
    }
}

#[test]
fn a_last_line_without_a_newline_is_printed_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    fs::write(&log, "a\nb\nc").unwrap();
    let mut tails = Tails::start(dir.path(), &["-n", "2", "log"]);
    tails.expect("b\nc", "");
    append(&log, "d\n");
    tails.expect("b\ncd\n", "");
    append(&log, "e");
    tails.expect("b\ncd\ne", "");
}

#[test]
fn starts_again_from_the_beginning_after_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    fs::write(&log, numbered(1, 20)).unwrap();
    let mut tails = Tails::start(dir.path(), &["-n", "2", "log"]);
    tails.expect("19\n20\n", "");
    // Emptied, then written again (as a log rotation with copytruncate
    // does): shorter than what was read, whenever the follower looks.
    OpenOptions::new()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(0)
        .unwrap();
    append(&log, "fresh\n");
    let truncated = "tail_follow: log: file truncated\n";
    tails.expect("19\n20\nfresh\n", truncated);
    // Cut to 3 bytes and appended to: printed again from the beginning.
    OpenOptions::new()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(3)
        .unwrap();
    append(&log, "X\n");
    tails.expect("19\n20\nfresh\nfreX\n", &truncated.repeat(2));
}

#[test]
fn reads_only_the_end_of_a_large_file() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let file = File::create(&log).unwrap();
    // 256 MiB of hole, which costs no disk; 16 MiB of real zeros where the
    // file system cannot make holes.
    file.set_len(1 << 20).unwrap();
    let holes = file.metadata().unwrap().blocks() == 0;
    let size: u64 = if holes { 256 << 20 } else { 16 << 20 };
    file.set_len(size).unwrap();
    append(&log, &numbered(1, 30));
    let mut tails = Tails::start(dir.path(), &["-n", "5", "log"]);
    tails.expect(&numbered(26, 30), "");
    // rchar: the bytes this process has read with read(2) and its kin.
    let pid = tails.ours().pid();
    match fs::read_to_string(format!("/proc/{pid}/io")) {
        Ok(io) => {
            let rchar: u64 = io
                .lines()
                .find_map(|line| line.strip_prefix("rchar: "))
                .and_then(|n| n.parse().ok())
                .expect("/proc/PID/io has an rchar line");
            assert!(
                rchar < 1 << 20,
                "tail_follow read {rchar} bytes of a {size}-byte file to print its \
                 last 5 lines: read backwards from the end instead"
            );
        }
        Err(err) => eprintln!("note: cannot read /proc/{pid}/io ({err}); not counting reads"),
    }
}

#[test]
fn refuses_a_missing_file_and_a_bad_count() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("log"), "one\n").unwrap();
    let cases: [(&[&str], &str); 2] = [
        (
            &["missing"],
            "tail_follow: cannot open 'missing' for reading: No such file or directory\n",
        ),
        (
            &["-n", "many", "log"],
            "tail_follow: invalid number of lines: 'many'\n",
        ),
    ];
    for (args, message) in cases {
        let out = run(Command::new(exercise_bin!("tail_follow"))
            .args(args)
            .current_dir(dir.path()));
        assert_eq!(out.stderr_text(), message, "{out}");
        assert_eq!(out.stdout_text(), "", "{out}");
        assert_eq!(out.code(), Some(1), "{out}");
        if gnu_tail() {
            let gnu = run(Command::new("tail")
                .arg("-f")
                .args(args)
                .current_dir(dir.path())
                .env("LC_ALL", "C"));
            let first = message.replace("tail_follow:", "tail:");
            assert!(
                gnu.stderr_text().starts_with(&first),
                "GNU tail says {:?}",
                gnu.stderr_text()
            );
            assert_eq!(gnu.code(), Some(1), "{gnu}");
        }
    }
    let out = run(Command::new(exercise_bin!("tail_follow")).current_dir(dir.path()));
    assert_eq!(out.code(), Some(1), "no FILE: {out}");
    assert!(!out.stderr.is_empty(), "a usage line: {out}");
}
