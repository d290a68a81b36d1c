//! Exercise 6.2: `pgrep_lite [-x] [-P PPID] PATTERN`, a small `pgrep`.
//!
//! Prints, one per line and in increasing order, the PIDs of the processes
//! whose name (the second field of `/proc/<pid>/stat`) contains PATTERN;
//! with `-x`, whose name is exactly PATTERN; with `-P PPID`, only those
//! whose parent is PPID. It never lists itself. Exits with 0 if it printed
//! a PID, 1 if none matched, 2 on bad arguments (with a usage line on
//! standard error).
//!
//! Check your solution with `cargo xtask exercise 6.2`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 6.2: find the processes {args:?} asks for in /proc")
}
