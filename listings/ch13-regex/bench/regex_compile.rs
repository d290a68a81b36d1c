//! `cargo xtask bench regex_compile`: what compiling a regex for every line
//! costs, against compiling it once, in Rust and in Python.
//!
//! Every contender parses the same log lines with the same pattern and
//! reports microseconds per line. Python's `re.search(pattern, line)` looks
//! the compiled pattern up in `re`'s own cache; the regex crate has no such
//! cache, so `Regex::new` really compiles every time.

use std::hint::black_box;
use std::process::Command;
use std::sync::LazyLock;
use std::time::Instant;

use regex::Regex;

const PATTERN: &str = r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (\w+)\s+(.*)$";
/// The same with ASCII-only classes: `(?-u:\d)` is `[0-9]`.
const ASCII_PATTERN: &str =
    r"^(?-u:(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (\w+)\s+)(.*)$";

// ANCHOR: contenders
/// Compiles the pattern on every call: what clippy's
/// `regex_creation_in_loops` warns about, hidden inside a function.
fn level_compiling(line: &str) -> Option<String> {
    let regex = Regex::new(PATTERN).expect("a valid pattern");
    Some(regex.captures(line)?[3].to_owned())
}

/// Compiles the pattern once, the first time it is used.
fn level_once(line: &str) -> Option<String> {
    static LOG_LINE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(PATTERN).expect("valid"));
    Some(LOG_LINE.captures(line)?[3].to_owned())
}
// ANCHOR_END: contenders

fn level_compiling_ascii(line: &str) -> Option<String> {
    let regex = Regex::new(ASCII_PATTERN).expect("a valid pattern");
    Some(regex.captures(line)?[3].to_owned())
}

/// Only asks whether the line matches: no groups to find.
fn matches_once(line: &str) -> Option<String> {
    static LOG_LINE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(PATTERN).expect("valid"));
    LOG_LINE.is_match(line).then(|| "INFO".to_owned())
}

const PYTHON: &str = r#"
import re, sys, time
lines = [f"2024-05-01 12:00:{i % 60:02} INFO    request {i} served in {i % 100} ms"
         for i in range(int(sys.argv[1]))]
pattern = sys.argv[2]
start = time.perf_counter()
if sys.argv[3] == "cached":
    levels = [re.search(pattern, line)[3] for line in lines]
else:
    regex = re.compile(pattern)
    levels = [regex.search(line)[3] for line in lines]
elapsed = time.perf_counter() - start
assert levels == ["INFO"] * len(lines)
print(elapsed / len(lines))
"#;

const COLUMN: &str = "time per line (µs)";
const CONTENDERS: [&str; 6] = [
    "Rust: Regex::new for every line",
    "Rust: the same, ASCII-only classes",
    "Rust: compiled once (LazyLock)",
    "Rust: compiled once, is_match only",
    "Python: re.search(pattern, line)",
    "Python: re.compile once, then search",
];

fn main() {
    let opts = benchkit::Options::from_args();
    let count = opts.pick(5_000, 20);
    let lines: Vec<String> = (0..count)
        .map(|i| {
            format!(
                "2024-05-01 12:00:{:02} INFO    request {i} served in {} ms",
                i % 60,
                i % 100
            )
        })
        .collect();
    // Looked up on PATH, not started: a start-up costs more than quick
    // mode's whole Python run.
    let python = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| dir.join("python3").is_file())
    });
    if !python {
        eprintln!(
            "python3 not found: its rows are not measured (apt-get install python3)"
        );
    }
    let mut table = benchkit::Table::new("how", &[COLUMN]);
    let samples =
        benchkit::alternate(&CONTENDERS, opts.rounds, |name| match *name {
            "Rust: Regex::new for every line" => {
                time_rust(&lines, level_compiling)
            }
            "Rust: the same, ASCII-only classes" => {
                time_rust(&lines, level_compiling_ascii)
            }
            "Rust: compiled once (LazyLock)" => time_rust(&lines, level_once),
            "Rust: compiled once, is_match only" => {
                time_rust(&lines, matches_once)
            }
            _ if !python => f64::NAN,
            "Python: re.search(pattern, line)" => time_python(count, "cached"),
            _ => time_python(count, "compiled"),
        });
    for (name, mut runs) in CONTENDERS.into_iter().zip(samples) {
        if runs.iter().any(|run| run.is_nan()) {
            table.skip(name);
        } else {
            table.set(name, COLUMN, benchkit::median(&mut runs));
        }
    }
    table.print(opts.rounds);
}

/// Microseconds per line.
fn time_rust(lines: &[String], level: fn(&str) -> Option<String>) -> f64 {
    let start = Instant::now();
    for line in lines {
        assert_eq!(black_box(level(black_box(line))).as_deref(), Some("INFO"));
    }
    start.elapsed().as_secs_f64() * 1e6 / lines.len() as f64
}

/// Microseconds per line, measured inside Python (start-up excluded).
fn time_python(count: usize, how: &str) -> f64 {
    let out = Command::new("python3")
        .args(["-c", PYTHON, &count.to_string(), PATTERN, how])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seconds: f64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("python3 prints seconds");
    seconds * 1e6
}
