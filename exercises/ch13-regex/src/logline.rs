//! Exercise 13.1: a log-line parser and a classifier.
//!
//! `parse` reads one line in the syslog-like format
//!
//! ```text
//! 2024-05-01T12:00:03Z web1 sshd[812]: Failed password for root from 10.0.0.5
//! ```
//!
//! a UTC timestamp (`YYYY-MM-DDTHH:MM:SSZ`, ASCII digits only), one space,
//! a host name (ASCII letters, digits, `.`, `-`), one space, a program name
//! (ASCII letters, digits, `_`, `-`, `.`, `/`), an optional process ID in
//! brackets (1 to 10 ASCII digits, and it must fit a `u32`), `: `, and the
//! message: the rest of the line, which may be empty. Anything else is
//! `None`. Use one regex with named groups, compiled once.
//!
//! `classify` says which of the rules in `RULES` a message matches, in the
//! order of `RULES`, with one `RegexSet` search, compiled once.
//!
//! Check your solution with `cargo xtask exercise 13.1`.

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

/// Parses one log line, or returns `None` if it is not in the format.
pub fn parse(line: &str) -> Option<Entry<'_>> {
    todo!("exercise 13.1: parse {line:?} with named groups")
}

/// The labels of the rules `message` matches, in the order of `RULES`.
pub fn classify(message: &str) -> Vec<&'static str> {
    todo!("exercise 13.1: classify {message:?} with a RegexSet")
}
