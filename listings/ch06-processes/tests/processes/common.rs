//! Helpers shared by this chapter's tests.

use std::fs;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::thread;

use harness::{ChildGuard, DEADLINE, Output};

/// The path of one of this chapter's listings.
#[macro_export]
macro_rules! bin {
    ($name:literal) => {
        env!(concat!("CARGO_BIN_EXE_", $name))
    };
}

/// Whether `program` is on PATH.
pub fn have(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// `python3` with block-buffered stdout, as Python has by default when
/// stdout is a pipe (some environments set PYTHONUNBUFFERED).
pub fn python() -> Command {
    let mut python = Command::new("python3");
    python.env_remove("PYTHONUNBUFFERED");
    python
}

/// A field of `/proc/<pid>/stat` after the name: 3 is the state, 4 the
/// parent, 5 the process group. `None` once the process is gone.
pub fn stat_field(pid: i32, field: usize) -> Option<String> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    rest.split_whitespace().nth(field - 3).map(str::to_owned)
}

/// The PIDs of every process, zombies included, in process group `pgid`.
pub fn group_members(pgid: i32) -> Vec<i32> {
    let mut members = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        if stat_field(pid, 5).and_then(|group| group.parse().ok()) == Some(pgid) {
            members.push(pid);
        }
    }
    members
}

/// Waits until no process of group `pgid` is left, or panics naming the
/// ones that are. Orphans adopted by init may take init a moment to reap.
#[track_caller]
pub fn assert_group_gone(pgid: i32, program: &str) {
    if harness::wait_until(DEADLINE, || group_members(pgid).is_empty()) {
        return;
    }
    let shown: Vec<String> = group_members(pgid)
        .iter()
        .map(|pid| {
            let state = stat_field(*pid, 3).unwrap_or_default();
            let parent = stat_field(*pid, 4).unwrap_or_default();
            format!("{pid} (state {state}, parent {parent})")
        })
        .collect();
    panic!("`{program}` left processes behind: {}", shown.join(", "));
}

/// Runs `cmd` as the leader of a new process group, feeding it `stdin`,
/// with the default deadline. Returns what it did and its PID, after
/// checking that no process of its group is left: every process it made
/// has ended and been reaped.
#[track_caller]
pub fn run_owned(cmd: &mut Command, stdin: &[u8]) -> (Output, u32) {
    let program = format!("{cmd:?}");
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut guard = ChildGuard::spawn(cmd).unwrap();
    let pid = guard.id();
    let child = guard.child_mut();
    let mut input = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let stdin = stdin.to_vec();
    thread::spawn(move || input.write_all(&stdin));
    let err_reader = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        let _ = tx.send(bytes);
    });
    let status = guard
        .wait_timeout(DEADLINE)
        .unwrap()
        .unwrap_or_else(|| panic!("`{program}` did not finish within {DEADLINE:?}"));
    // Output ends when every process holding the pipes has exited.
    let out = rx
        .recv_timeout(DEADLINE)
        .unwrap_or_else(|_| panic!("`{program}`: something still holds its stdout"));
    let err = err_reader.join().unwrap();
    assert_group_gone(pid as i32, &program);
    (
        Output {
            status,
            stdout: out,
            stderr: err,
        },
        pid,
    )
}

/// Runs a listing with no input; see [`run_owned`].
#[track_caller]
pub fn run_listing(cmd: &mut Command) -> (Output, u32) {
    run_owned(cmd, b"")
}

/// Replaces each PID in `pids` with the stand-in at the same index, where
/// it stands as a whole number.
pub fn renumber(text: &str, pids: &[i64], stand_ins: &[i64]) -> String {
    let mut norm = harness::Normalizer::new();
    for (pid, shown) in pids.iter().zip(stand_ins) {
        // Through a placeholder, so that a stand-in that equals a later
        // real PID is not replaced again.
        norm = norm.replace(&format!(r"\b{pid}\b"), &format!("@{shown}@"));
    }
    norm.replace(r"@(\d+)@", "$1").apply(text)
}

/// The numbers that follow any of `prefixes` in `text` (`"pid "`,
/// `"child "`, …), in order of first appearance: the PIDs a listing
/// printed, to be renumbered.
pub fn numbers_after(text: &str, prefixes: &[&str]) -> Vec<i64> {
    let alternatives: Vec<String> = prefixes.iter().map(|p| regex::escape(p)).collect();
    let pattern = regex::Regex::new(&format!(r"(?:{})(\d+)\b", alternatives.join("|"))).unwrap();
    let mut found = Vec::new();
    for capture in pattern.captures_iter(text) {
        let n: i64 = capture[1].parse().unwrap();
        if !found.contains(&n) {
            found.push(n);
        }
    }
    found
}

/// Reads `/proc/<pid>/stat` fields 3 and 4: state and parent.
pub fn state_and_parent(pid: i32) -> Option<(String, i32)> {
    Some((stat_field(pid, 3)?, stat_field(pid, 4)?.parse().ok()?))
}
