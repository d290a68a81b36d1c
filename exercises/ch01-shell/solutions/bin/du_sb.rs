//! Exercise 1.2, a reference solution: `du -sb`, the apparent size of a
//! whole tree, each file counted once.

use std::collections::HashSet;
use std::env;
use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::ExitCode;

/// One run of `du_sb`: the files counted so far, and whether anything
/// failed.
#[derive(Default)]
struct Du {
    /// (device, inode) of every file counted so far, across all operands.
    seen: HashSet<(u64, u64)>,
    failed: bool,
}

impl Du {
    /// Whether the file `meta` describes is new; remembers it.
    fn first_time(&mut self, meta: &Metadata) -> bool {
        self.seen.insert((meta.dev(), meta.ino()))
    }

    fn error(&mut self, what: &str, path: &Path, err: &io::Error) {
        eprintln!("du_sb: {what} '{}': {}", path.display(), describe(err));
        self.failed = true;
    }

    /// The apparent size of `path` and, for a directory, of everything
    /// under it that was not counted before. `meta` is `path`'s lstat.
    fn total(&mut self, path: &Path, meta: &Metadata) -> u64 {
        let mut size = meta.len();
        if !meta.is_dir() {
            return size;
        }
        let entries = match fs::read_dir(path) {
            Ok(entries) => entries,
            Err(err) => {
                self.error("cannot read directory", path, &err);
                return size;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    self.error("cannot read directory", path, &err);
                    break;
                }
            };
            let child = entry.path();
            // DirEntry::metadata does not follow a symbolic link (it is
            // fstatat with AT_SYMLINK_NOFOLLOW), so a link counts itself.
            match entry.metadata() {
                Ok(meta) if self.first_time(&meta) => size += self.total(&child, &meta),
                Ok(_) => {} // another name of a file already counted
                Err(err) => self.error("cannot access", &child, &err),
            }
        }
        size
    }
}

fn main() -> ExitCode {
    let mut operands: Vec<OsString> = env::args_os().skip(1).collect();
    if operands.is_empty() {
        operands.push(".".into());
    }
    let mut du = Du::default();
    let mut out = io::stdout().lock();
    for operand in &operands {
        let path = Path::new(operand);
        // lstat: a symbolic link given as an operand is not followed either.
        let meta = match fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(err) => {
                du.error("cannot access", path, &err);
                continue;
            }
        };
        if !du.first_time(&meta) {
            continue; // counted already, under an earlier operand
        }
        let size = du.total(path, &meta);
        let mut line = format!("{size}\t").into_bytes();
        line.extend_from_slice(operand.as_bytes());
        line.push(b'\n');
        if out.write_all(&line).is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() || du.failed {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The system's message for `err`, without the " (os error N)" that Rust's
/// `Display` adds.
fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    match err.raw_os_error() {
        Some(code) => text
            .strip_suffix(&format!(" (os error {code})"))
            .map_or(text.clone(), str::to_owned),
        None => text,
    }
}
