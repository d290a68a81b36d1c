//! Exercise 8.2, a reference solution: a word count over many files, with
//! scoped threads.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::thread;

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
    let threads = threads.max(1);
    // Thread i takes files i, i + threads, i + 2 * threads, …: each file
    // is read by exactly one thread, and at most `threads` at a time.
    let partial: Vec<io::Result<Counts>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|i| {
                scope.spawn(move || {
                    let mut counts = Counts::new();
                    for path in paths.iter().skip(i).step_by(threads) {
                        merge(&mut counts, count_file(path)?);
                    }
                    Ok(counts)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("a counting thread panicked"))
            .collect()
    });
    let mut total = Counts::new();
    for counts in partial {
        merge(&mut total, counts?);
    }
    Ok(total)
}

fn merge(into: &mut Counts, from: Counts) {
    for (word, n) in from {
        *into.entry(word).or_default() += n;
    }
}
