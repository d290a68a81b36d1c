//! The tests of chapter 6's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 6.N` runs one
//! module against your code.

mod ex6_1;
mod ex6_2;
mod ex6_3;

use std::fs;
use std::thread;
use std::time::{Duration, Instant};

use harness::DEADLINE;

/// Whether `program` is on PATH.
fn have(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Field `n` of `/proc/<pid>/stat` (3: state, 4: parent, 5: group), or
/// `None` once the process is gone.
fn stat_field(pid: i32, n: usize) -> Option<String> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    rest.split_whitespace().nth(n - 3).map(str::to_owned)
}

/// Waits, with a deadline, until `pid` has ended: gone, or a zombie that
/// its new parent has yet to reap. Returns whether it did.
fn ended(pid: i32) -> bool {
    let deadline = Instant::now() + DEADLINE;
    loop {
        match stat_field(pid, 3).as_deref() {
            None | Some("Z") => return true,
            _ if Instant::now() > deadline => return false,
            _ => thread::sleep(Duration::from_millis(10)),
        }
    }
}
