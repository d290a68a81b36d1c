//! `cargo xtask bench regex`: the pattern `^(a+)+$` against "aaa…a!" (n
//! letters a, then one "!", so there is no match), in Python's `re`, a
//! backtracking engine, and in the regex crate, which runs finite automata.
//!
//! Each Python run is a fresh `python3` that times one search (repeated
//! while it is shorter than 10 ms) and prints the time; a run still going
//! at the deadline is killed, and that length and every longer one is left
//! unmeasured for Python. Rounds alternate the contenders.

use std::hint::black_box;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;

const PATTERN: &str = r"^(a+)+$";

/// Times `pattern.search(text)` in Python: the mean of as many searches as
/// fit in 10 ms, or one search if that alone takes longer.
const PYTHON: &str = r#"
import re, sys, time
n = int(sys.argv[1])
text = "a" * n + "!"
pattern = re.compile(sys.argv[2])
reps = 1
while True:
    start = time.perf_counter()
    for _ in range(reps):
        assert pattern.search(text) is None
    elapsed = time.perf_counter() - start
    if elapsed >= 0.01:
        break
    reps *= 10
print(elapsed / reps)
"#;

const PYTHON_COLUMN: &str = "Python re (µs)";
const RUST_COLUMN: &str = "regex crate (µs)";
const RATIO_COLUMN: &str = "Python ÷ regex crate";

fn main() {
    let opts = benchkit::Options::from_args();
    // Lengths both engines run; then lengths only the regex crate can.
    let both: Vec<usize> =
        opts.pick(vec![10, 14, 18, 20, 22, 24, 26, 28], vec![8]);
    let rust_only: Vec<usize> =
        opts.pick(vec![1_000, 1_000_000, 10_000_000], vec![1_000]);
    let deadline = opts.pick(Duration::from_secs(10), Duration::from_secs(30));
    let regex = Regex::new(PATTERN).expect("a valid pattern");
    let python = python_available();
    if !python {
        eprintln!(
            "python3 not found: its column is not measured (apt-get install python3)"
        );
    }

    let mut table = benchkit::Table::new(
        "letters a (n)",
        &[PYTHON_COLUMN, RUST_COLUMN, RATIO_COLUMN],
    );
    let row = |n: usize| format!("n = {}", group_digits(n));
    let mut python_gave_up: Option<usize> = None;
    let mut python_runs: Vec<Vec<f64>> = vec![Vec::new(); both.len()];
    let mut rust_runs: Vec<Vec<f64>> =
        vec![Vec::new(); both.len() + rust_only.len()];
    for round in 0..opts.rounds {
        for (i, &n) in both.iter().chain(&rust_only).enumerate() {
            let wanted = python && python_gave_up.is_none_or(|limit| n < limit);
            if let Some(runs) = python_runs.get_mut(i).filter(|_| wanted) {
                match time_python(n, deadline) {
                    Some(seconds) => runs.push(seconds * 1e6),
                    None => {
                        eprintln!(
                            "round {}: Python did not finish n = {n} within {deadline:?}",
                            round + 1
                        );
                        python_gave_up = Some(n);
                    }
                }
            }
            rust_runs[i].push(time_rust(&regex, n) * 1e6);
        }
    }
    for (i, &n) in both.iter().chain(&rust_only).enumerate() {
        let name = row(n);
        let measured = python_gave_up.is_none_or(|limit| n < limit);
        let rust = benchkit::median(&mut rust_runs[i]);
        match python_runs.get_mut(i) {
            Some(runs) if measured && runs.len() == opts.rounds => {
                let python = benchkit::median(runs);
                table.set(&name, PYTHON_COLUMN, python);
                table.set(&name, RATIO_COLUMN, python / rust);
            }
            _ => table.skip(&name),
        }
        table.set(&name, RUST_COLUMN, rust);
    }
    table.print(opts.rounds);
}

/// Seconds for one search by the regex crate, averaged over enough
/// searches to take at least 10 ms.
fn time_rust(regex: &Regex, n: usize) -> f64 {
    let text = "a".repeat(n) + "!";
    let mut reps = 1u32;
    loop {
        let start = Instant::now();
        for _ in 0..reps {
            assert!(black_box(regex).captures(black_box(&text)).is_none());
        }
        let elapsed = start.elapsed();
        if elapsed >= Duration::from_millis(10) {
            return elapsed.as_secs_f64() / f64::from(reps);
        }
        reps *= 10;
    }
}

/// Seconds for one search by Python's `re`, or `None` if the run was still
/// going at the deadline (it is then killed and reaped).
fn time_python(n: usize, deadline: Duration) -> Option<f64> {
    let mut child = Command::new("python3")
        .args(["-c", PYTHON, &n.to_string(), PATTERN])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 starts");
    let until = Instant::now() + deadline;
    // A benchmark may poll: it waits for a slow process, not for an event
    // it could miss.
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for python3") {
            break Some(status);
        }
        if Instant::now() >= until {
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        return None;
    };
    assert!(status.success(), "python3 failed for n = {n}");
    let mut out = String::new();
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_string(&mut out)
        .expect("read python3's answer");
    Some(out.trim().parse().expect("python3 prints seconds"))
}

/// Whether `python3` is on PATH: looked up, not started, because a start-up
/// of python3 costs more than all of quick mode's Python searches.
fn python_available() -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| dir.join("python3").is_file())
    })
}

/// 1000000 as "1,000,000".
fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
