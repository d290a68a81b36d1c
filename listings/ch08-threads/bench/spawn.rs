//! `cargo xtask bench spawn`: what does it cost to start a thread, and to
//! start a process? Each contender starts something that does nothing,
//! waits for it to end, and does that many times in a row:
//!
//! - a Rust thread (`thread::spawn` + `join`);
//! - a Rust process that is a copy of this one (`fork` + `waitpid`; the
//!   child calls `_exit` at once);
//! - a Rust process that runs a program (`Command::new("true")`: fork, exec,
//!   wait);
//! - a Python thread (`threading.Thread`: `start` + `join`);
//! - a Python process (`multiprocessing.Process` with the fork start
//!   method: `start` + `join`).
//!
//! Python is found on PATH; without it, its rows are left unmeasured.

use std::process::{Command, ExitCode, Stdio};
use std::thread;
use std::time::Instant;

use benchkit::{Options, Table};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};

#[derive(Clone, Copy)]
enum Contender {
    RustThread,
    RustFork,
    RustCommand,
    PythonThread,
    PythonProcess,
}

impl Contender {
    fn name(self) -> &'static str {
        match self {
            Contender::RustThread => "Rust thread",
            Contender::RustFork => "Rust fork + waitpid",
            Contender::RustCommand => "Rust fork + exec (true)",
            Contender::PythonThread => "Python thread",
            Contender::PythonProcess => "Python process (fork)",
        }
    }

    /// How many to start in one round: enough for a round to take a while.
    fn count(self, quick: bool) -> u32 {
        let full = match self {
            Contender::RustThread | Contender::PythonThread => 5_000,
            Contender::RustFork => 2_000,
            Contender::RustCommand | Contender::PythonProcess => 500,
        };
        if quick { 20 } else { full }
    }
}

// ANCHOR: rust
/// Microseconds per thread: spawn one that does nothing, join it, repeat.
fn rust_threads(count: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..count {
        thread::spawn(|| ()).join().unwrap();
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(count)
}

/// Microseconds per process: fork a copy that exits at once, wait for it.
fn rust_forks(count: u32) -> Result<f64, String> {
    let start = Instant::now();
    for _ in 0..count {
        // SAFETY: the child only calls _exit, which is async-signal-safe.
        match unsafe { fork() }.map_err(|err| format!("fork: {err}"))? {
            ForkResult::Child => unsafe { libc::_exit(0) },
            ForkResult::Parent { child } => match waitpid(child, None) {
                Ok(WaitStatus::Exited(_, 0)) => {}
                other => return Err(format!("the child ended with {other:?}")),
            },
        }
    }
    Ok(start.elapsed().as_secs_f64() * 1e6 / f64::from(count))
}
// ANCHOR_END: rust

/// Microseconds per process that runs the program `true`.
fn rust_commands(count: u32) -> Result<f64, String> {
    let start = Instant::now();
    for _ in 0..count {
        let status = Command::new("true")
            .stdin(Stdio::null())
            .status()
            .map_err(|err| format!("true: {err}"))?;
        if !status.success() {
            return Err(format!("true ended with {status}"));
        }
    }
    Ok(start.elapsed().as_secs_f64() * 1e6 / f64::from(count))
}

// ANCHOR: python
/// `python3 -c PYTHON thread|process COUNT` prints microseconds per start +
/// join, timed inside Python so that its start-up is not counted.
const PYTHON: &str = r#"
import sys, threading, time
from multiprocessing import get_context

def nothing():
    pass

kind, count = sys.argv[1], int(sys.argv[2])
make = threading.Thread if kind == "thread" else get_context("fork").Process
start = time.perf_counter()
for _ in range(count):
    t = make(target=nothing)
    t.start()
    t.join()
print((time.perf_counter() - start) * 1e6 / count)
"#;
// ANCHOR_END: python

fn python(kind: &str, count: u32) -> Result<f64, String> {
    let out = Command::new("python3")
        .args(["-c", PYTHON, kind, &count.to_string()])
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("python3: {err}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "python3 failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    text.trim()
        .parse()
        .map_err(|_| format!("python3 printed {text:?}"))
}

fn measure(contender: Contender, quick: bool) -> Result<f64, String> {
    let count = contender.count(quick);
    match contender {
        Contender::RustThread => Ok(rust_threads(count)),
        Contender::RustFork => rust_forks(count),
        Contender::RustCommand => rust_commands(count),
        Contender::PythonThread => python("thread", count),
        Contender::PythonProcess => python("process", count),
    }
}

fn python_found() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

fn main() -> ExitCode {
    let opts = Options::from_args();
    let mut contenders = vec![
        Contender::RustThread,
        Contender::RustFork,
        Contender::RustCommand,
    ];
    let python_rows = [Contender::PythonThread, Contender::PythonProcess];
    let python = python_found();
    if python {
        contenders.extend(python_rows);
    } else {
        eprintln!(
            "note: python3 is not on PATH, so the Python rows are not measured. \
             Install it (Debian, Ubuntu: apt-get install python3) and run again."
        );
    }
    let mut error = None;
    let samples = benchkit::alternate(&contenders, opts.rounds, |contender| {
        eprintln!("bench_spawn: {} …", contender.name());
        measure(*contender, opts.quick).unwrap_or_else(|err| {
            error.get_or_insert(err);
            f64::NAN
        })
    });
    if let Some(err) = error {
        eprintln!("bench_spawn: {err}");
        return ExitCode::FAILURE;
    }
    let columns = ["start + join (µs)", "× a Rust thread"];
    let mut table = Table::new("what is started", &columns);
    let mut thread_us = None;
    for (contender, mut runs) in contenders.iter().zip(samples) {
        let micros = benchkit::median(&mut runs);
        let one = *thread_us.get_or_insert(micros);
        table.set(contender.name(), columns[0], micros);
        table.set(contender.name(), columns[1], micros / one);
    }
    if !python {
        for contender in python_rows {
            table.skip(contender.name());
        }
    }
    table.print(opts.rounds);
    ExitCode::SUCCESS
}
