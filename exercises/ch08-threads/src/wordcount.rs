//! Exercise 8.2: count words in many files at once, with scoped threads.
//!
//! `count_words(paths, threads)` returns how often each word occurs in all
//! the files together, as `count_file` counts them, reading up to `threads`
//! files at the same time (`threads` = 0 counts as 1). The result must not
//! depend on `threads`. If a file cannot be read, it returns that error.
//!
//! Check your solution with `cargo xtask exercise 8.2`.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// How often each word occurs.
pub type Counts = BTreeMap<String, usize>;

/// The words of one file: what `split_whitespace` finds, as they are.
pub fn count_file(path: &Path) -> io::Result<Counts> {
    let text = fs::read_to_string(path)?;
    let mut counts = Counts::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_owned()).or_default() += 1;
    }
    Ok(counts)
}

/// The words of every file in `paths`, counted by `threads` threads.
pub fn count_words(paths: &[PathBuf], threads: usize) -> io::Result<Counts> {
    todo!(
        "exercise 8.2: count {} files on {threads} threads",
        paths.len()
    )
}
