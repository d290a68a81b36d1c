//! Exercise 15.2: Several ranges in one header.
//!
//! `fileserver` ignores a `Range` header with more than one range. Write
//! `parse_ranges`, the first half of supporting them: it reads
//! `bytes=0-99, 200-, -50` for a representation of `length` bytes.
//!
//! Check your solution with `cargo xtask exercise 15.2`.

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
    let _ = (header, length);
    todo!("parse a list of byte ranges")
}
