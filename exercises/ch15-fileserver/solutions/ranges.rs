//! Exercise 15.2: Several ranges in one header (a reference solution).

use ch15_fileserver::{Range, parse_range};

/// What a `Range` header with one or more ranges asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ranges {
    /// Bad syntax or another unit: ignore the header, send everything.
    Ignore,
    /// Every range is past the end: 416.
    Unsatisfiable,
    /// The satisfiable ranges, `(first, last)` inclusive and clamped to the
    /// representation, in the order the client gave them.
    Parts(Vec<(u64, u64)>),
}

pub fn parse_ranges(header: &str, length: u64) -> Ranges {
    let Some(list) = header.trim().strip_prefix("bytes=") else {
        return Ranges::Ignore;
    };
    let mut parts = Vec::new();
    for spec in list.split(',') {
        // Each range on its own is what the library already parses.
        match parse_range(Some(&format!("bytes={}", spec.trim())), length) {
            Range::Part { first, last } => parts.push((first, last)),
            Range::Unsatisfiable => {}
            Range::Full => return Ranges::Ignore, // bad syntax
        }
    }
    if parts.is_empty() {
        Ranges::Unsatisfiable
    } else {
        Ranges::Parts(parts)
    }
}
