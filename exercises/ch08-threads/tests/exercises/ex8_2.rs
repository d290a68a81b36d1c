//! Exercise 8.2: A word count on several threads
//! Edit: exercises/ch08-threads/src/wordcount.rs
//! Hint: Inside `thread::scope`, spawn `threads` threads; thread i counts files i, i + threads, … with `count_file` (`paths.iter().skip(i).step_by(threads)`), and returns its own `Counts` or the first error. Scoped threads may borrow `paths`, so nothing needs an `Arc`. Join them all and add their counts together.

use std::ffi::CString;
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::thread;

use harness::DEADLINE;

#[cfg(not(feature = "reference"))]
use ex08_threads::wordcount::{Counts, count_file, count_words};
#[cfg(feature = "reference")]
use ex08_threads::wordcount_reference::{Counts, count_file, count_words};

use super::within;

/// Seven files with overlapping words, in a temporary directory.
fn corpus() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let texts = [
        "the quick brown fox",
        "jumps over the lazy dog",
        "the dog sleeps\nthe fox runs",
        "",
        "线程 thread 线程",
        "   spaces\tand\ttabs   ",
        "the end",
    ];
    let paths = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let path = dir.path().join(format!("{i}.txt"));
            fs::write(&path, text).unwrap();
            path
        })
        .collect();
    (dir, paths)
}

/// The count one thread gets, file after file.
fn one_by_one(paths: &[PathBuf]) -> Counts {
    let mut total = Counts::new();
    for path in paths {
        for (word, n) in count_file(path).unwrap() {
            *total.entry(word).or_default() += n;
        }
    }
    total
}

#[test]
fn every_thread_count_gives_the_one_by_one_result() {
    let (_dir, paths) = corpus();
    let expected = one_by_one(&paths);
    assert_eq!(expected["the"], 5);
    assert_eq!(expected["线程"], 2);
    for threads in [0, 1, 2, 3, 7, 16] {
        let paths = paths.clone();
        let counted = within(DEADLINE, "count_words", move || {
            count_words(&paths, threads)
        });
        assert_eq!(counted.unwrap(), expected, "with {threads} threads");
    }
}

#[test]
fn no_files_count_no_words() {
    let counted = within(DEADLINE, "count_words", || count_words(&[], 4));
    assert_eq!(counted.unwrap(), Counts::new());
}

#[test]
fn a_file_that_cannot_be_read_is_an_error() {
    let (dir, mut paths) = corpus();
    paths.insert(3, dir.path().join("missing.txt"));
    for threads in [1, 2, 8] {
        let paths = paths.clone();
        let result = within(DEADLINE, "count_words", move || {
            count_words(&paths, threads)
        });
        let err = result.expect_err("a missing file must be an error");
        assert_eq!(err.kind(), ErrorKind::NotFound, "with {threads} threads");
    }
}

fn mkfifo(path: &Path) {
    let name = CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path and a mode.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo");
}

/// Two named pipes, `first` and `second`. Opening a pipe for reading
/// blocks until someone opens it for writing, and the writer here serves
/// `second` first. Read one file at a time, in order, and `first` blocks
/// forever; with two threads, both files are open at once and all is well.
#[test]
fn two_threads_read_two_files_at_the_same_time() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    mkfifo(&first);
    mkfifo(&second);
    let writer = {
        let (first, second) = (first.clone(), second.clone());
        thread::spawn(move || {
            for (path, text) in
                [(second, "two words"), (first, "three more words")]
            {
                // Blocks until the reader opens the pipe.
                let mut pipe =
                    OpenOptions::new().write(true).open(path).unwrap();
                pipe.write_all(text.as_bytes()).unwrap();
            }
        })
    };
    let paths = vec![first, second];
    let counted = within(
        DEADLINE,
        "count_words on two pipes with 2 threads (reading them one at a time cannot finish)",
        move || count_words(&paths, 2),
    );
    writer.join().unwrap();
    let counted = counted.unwrap();
    assert_eq!(counted["words"], 2);
    assert_eq!(counted.values().sum::<usize>(), 5);
}
