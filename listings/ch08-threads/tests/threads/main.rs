//! Chapter 8's tests, one module per section, in one test binary (one link
//! instead of one per file).

mod bench;
mod deadlock;
mod lifetime;
mod processes;
mod races;
mod spawning;
mod sync;

use std::io::{BufRead, BufReader};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use harness::{ChildGuard, DEADLINE, Normalizer};

/// A listing binary of this chapter, with an environment that does not
/// change what it prints: no backtraces, the default thread stack size.
fn listing(bin: &str) -> Command {
    let mut cmd = Command::new(bin);
    cmd.env_remove("RUST_BACKTRACE")
        .env_remove("RUST_MIN_STACK");
    cmd
}

/// `thread 'name' (12345) panicked` → `thread 'name' (4243) panicked`: the
/// TID that Rust's panic message shows changes from run to run.
fn panic_tids() -> Normalizer {
    Normalizer::new().replace(r"thread '([^']*)' \(\d+\)", "thread '$1' (4243)")
}

/// Shows each number of `ids` (PIDs and TIDs, in order) as 4242, 4243, …,
/// wherever it stands as a whole number. Two passes, so that a real ID that
/// happens to equal a shown one is not rewritten twice.
fn ids_shown_as_4242(ids: &[u32]) -> Normalizer {
    let mut norm = Normalizer::new();
    for (i, id) in ids.iter().enumerate() {
        norm = norm.replace(&format!(r"\b{id}\b"), &format!("@ID{i}@"));
    }
    for i in 0..ids.len() {
        norm = norm.replace(&format!("@ID{i}@"), &(4242 + i).to_string());
    }
    norm
}

/// A listing that keeps running while the test talks to it: its standard
/// input stays open until the test drops or closes it, and its standard
/// output arrives line by line.
struct Running {
    guard: ChildGuard,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
}

impl Running {
    fn start(cmd: &mut Command) -> Running {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut guard = ChildGuard::spawn(cmd).unwrap();
        let stdin = guard.child_mut().stdin.take();
        let stdout = guard.child_mut().stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            guard,
            stdin,
            lines,
        }
    }

    /// The next line of output, waiting at most DEADLINE.
    #[track_caller]
    fn line(&self) -> String {
        self.lines.recv_timeout(DEADLINE).unwrap_or_else(|err| {
            panic!("no line from `{}`: {err}", self.guard.program())
        })
    }

    /// Whether the process exits within `timeout`, and its exit code.
    fn exits_within(&mut self, timeout: Duration) -> Option<Option<i32>> {
        let status = self.guard.wait_timeout(timeout).unwrap();
        status.map(|status| status.code())
    }
}
