//! Exercise 13.1: a log-line parser and a classifier (a solution).

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

/// One parsed line; every field borrows from the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub timestamp: &'a str,
    pub host: &'a str,
    pub program: &'a str,
    pub pid: Option<u32>,
    pub message: &'a str,
}

/// The classifier's rules: a label and a pattern (regex crate syntax).
pub const RULES: [(&str, &str); 4] = [
    (
        "auth",
        r"(?i)\b(?:failed password|authentication failure|invalid user)\b",
    ),
    (
        "disk",
        r"(?i)\b(?:no space left on device|disk (?:full|quota))\b",
    ),
    (
        "network",
        r"(?i)\b(?:connection (?:refused|reset|timed out)|network is unreachable)\b",
    ),
    ("ipv4", r"\b(?:\d{1,3}\.){3}\d{1,3}\b"),
];

/// The line format. `(?x)` allows spaces and comments; `[0-9]`, not `\d`,
/// because `\d` also matches digits such as `٣` that `parse` refuses.
static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \A
        (?P<timestamp>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)
        \x20 (?P<host>[A-Za-z0-9.-]+)
        \x20 (?P<program>[A-Za-z0-9_./-]+)
        (?: \[ (?P<pid>[0-9]{1,10}) \] )?
        :\x20 (?P<message>.*)
        \z",
    )
    .expect("a valid pattern")
});

static CLASSES: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(RULES.iter().map(|(_, pattern)| pattern))
        .expect("valid patterns")
});

/// Parses one log line, or returns `None` if it is not in the format.
pub fn parse(line: &str) -> Option<Entry<'_>> {
    let caps = LINE.captures(line)?;
    let pid = match caps.name("pid") {
        // Ten digits can be more than u32::MAX: then it is not a PID.
        Some(pid) => Some(pid.as_str().parse().ok()?),
        None => None,
    };
    Some(Entry {
        timestamp: caps.name("timestamp")?.as_str(),
        host: caps.name("host")?.as_str(),
        program: caps.name("program")?.as_str(),
        pid,
        message: caps.name("message")?.as_str(),
    })
}

/// The labels of the rules `message` matches, in the order of `RULES`.
pub fn classify(message: &str) -> Vec<&'static str> {
    CLASSES
        .matches(message)
        .into_iter()
        .map(|index| RULES[index].0)
        .collect()
}
