//! Exercise 2.2: Copying a sparse file
//! Edit: exercises/ch02-files/src/bin/sparse_copy.rs
//! Hint: Loop: `nix::unistd::lseek(&src, offset, Whence::SeekData)` gives where the next data starts (`Err(Errno::ENXIO)`: no more data, stop); `lseek(&src, data, Whence::SeekHole)` where it ends. Copy that range with `FileExt::read_at` and `write_all_at`, then go on from the hole. Open DST with `truncate(true)`, and finish with `dst.set_len(len)` for a trailing hole.

use std::fs::{self, File};
use std::os::unix::fs::{FileExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use harness::{Output, exercise_bin, run};
use tempfile::TempDir;

const MIB: u64 = 1 << 20;

/// How many more 512-byte units a copy may allocate than its source: a
/// file system may need a block or two for its own bookkeeping.
const MARGIN: u64 = 64;

struct Scratch {
    dir: TempDir,
    /// Whether this file system makes holes at all.
    holes: bool,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let probe = File::create(dir.path().join("probe")).unwrap();
        probe.set_len(MIB).unwrap();
        let holes = probe.metadata().unwrap().blocks() == 0;
        if !holes {
            eprintln!("note: the temporary file system makes no holes; not comparing blocks");
        }
        Scratch { dir, holes }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A file of `len` bytes that holds `pieces` (offset, bytes) and
    /// holes everywhere else.
    fn sparse(&self, name: &str, len: u64, pieces: &[(u64, Vec<u8>)]) -> PathBuf {
        let path = self.path(name);
        let file = File::create(&path).unwrap();
        for (offset, bytes) in pieces {
            file.write_all_at(bytes, *offset).unwrap();
        }
        file.set_len(len).unwrap();
        path
    }

    fn sparse_copy(&self, source: &str, target: &str) -> Output {
        run(Command::new(exercise_bin!("sparse_copy"))
            .args([source, target])
            .current_dir(self.dir.path()))
    }

    /// Copies `source` to `target` with the exercise, and checks that the
    /// copy reads back the same and allocates no more than the source,
    /// nor than `cp --sparse=always` does.
    fn check_copy(&self, source: &str, target: &str) {
        let out = self.sparse_copy(source, target);
        assert_eq!(out.code(), Some(0), "{out}");
        assert_eq!(out.stderr_text(), "", "{out}");
        assert_same_bytes(&self.path(source), &self.path(target));
        if !self.holes {
            return;
        }
        let (src, dst) = (blocks(&self.path(source)), blocks(&self.path(target)));
        assert!(
            dst <= src + MARGIN,
            "the copy allocates {dst} blocks of 512 bytes, the source only {src}: \
             write only the data, and leave the holes alone"
        );
        let by_cp = format!("{target}.cp");
        let cp = run(Command::new("cp")
            .args(["--sparse=always", source, &by_cp])
            .current_dir(self.dir.path()));
        if cp.code() == Some(0) {
            let theirs = blocks(&self.path(&by_cp));
            assert!(
                dst <= theirs + MARGIN,
                "the copy allocates {dst} blocks; cp --sparse=always's only {theirs}"
            );
        } else {
            eprintln!("note: cp --sparse=always failed; not comparing with it\n{cp}");
        }
    }
}

fn blocks(path: &Path) -> u64 {
    fs::metadata(path).unwrap().blocks()
}

/// Compares two files without printing megabytes when they differ.
fn assert_same_bytes(source: &Path, copy: &Path) {
    let (want, got) = (fs::read(source).unwrap(), fs::read(copy).unwrap());
    assert_eq!(got.len(), want.len(), "the copy's length");
    if let Some(at) = (0..want.len()).find(|&at| want[at] != got[at]) {
        panic!(
            "the copy differs from the source at offset {at}: {:#04x} where the source has {:#04x}",
            got[at], want[at]
        );
    }
}

/// `len` bytes that are not zeros.
fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|at| (at as u8).wrapping_mul(31).wrapping_add(seed) | 1)
        .collect()
}

#[test]
fn copies_data_between_holes_byte_for_byte() {
    let scratch = Scratch::new();
    let pieces = [
        (MIB, data(5000, 1)),             // after a leading hole
        (4 * MIB, data(100_000, 2)),      // between two holes
        (10 * MIB + 7, data(1, 3)),       // one byte, not on a block boundary
        (16 * MIB - 3000, data(3000, 4)), // right up to the end
    ];
    scratch.sparse("sparse", 16 * MIB, &pieces);
    scratch.check_copy("sparse", "copy");
    if scratch.holes {
        let copied = blocks(&scratch.path("copy")) * 512;
        assert!(
            copied < 2 * MIB,
            "the copy of 16 MiB with 108 KB of data allocates {copied} bytes"
        );
    }
}

#[test]
fn a_file_that_ends_in_a_hole_keeps_its_length() {
    let scratch = Scratch::new();
    scratch.sparse("sparse", 8 * MIB, &[(0, data(4096, 5))]);
    scratch.check_copy("sparse", "copy");
    assert_eq!(fs::metadata(scratch.path("copy")).unwrap().len(), 8 * MIB);
}

#[test]
fn a_file_that_is_all_hole_gets_no_data() {
    let scratch = Scratch::new();
    scratch.sparse("hole", 5 * MIB, &[]);
    scratch.check_copy("hole", "copy");
    if scratch.holes {
        assert_eq!(
            blocks(&scratch.path("copy")),
            0,
            "nothing to write, nothing allocated"
        );
    }
}

#[test]
fn a_file_without_holes_is_copied_whole() {
    let scratch = Scratch::new();
    fs::write(scratch.path("dense"), data(300_000, 6)).unwrap();
    scratch.check_copy("dense", "copy");
    assert!(
        blocks(&scratch.path("copy")) * 512 >= 300_000,
        "every byte is data, so every block is allocated"
    );
}

#[test]
fn an_empty_file_gives_an_empty_copy() {
    let scratch = Scratch::new();
    fs::write(scratch.path("empty"), "").unwrap();
    scratch.check_copy("empty", "copy");
}

#[test]
fn overwrites_a_longer_destination_without_leaving_old_bytes() {
    let scratch = Scratch::new();
    scratch.sparse(
        "sparse",
        8 * MIB,
        &[(0, data(4096, 7)), (6 * MIB, data(4096, 8))],
    );
    // An old file of 12 MiB of 0xff where the copy goes: its bytes must
    // not show through the holes, nor past the end.
    fs::write(scratch.path("copy"), vec![0xff; 12 * MIB as usize]).unwrap();
    scratch.check_copy("sparse", "copy");
}

#[test]
fn a_new_copy_gets_the_sources_mode_less_the_umask() {
    let scratch = Scratch::new();
    let source = scratch.path("source");
    fs::write(&source, "data").unwrap();
    fs::set_permissions(&source, fs::Permissions::from_mode(0o757)).unwrap();
    let out = scratch.sparse_copy("source", "copy");
    assert_eq!(out.code(), Some(0), "{out}");
    // Read the umask without setting it: umask(2) can only do both.
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let umask = status
        .lines()
        .find_map(|line| line.strip_prefix("Umask:"))
        .map(|mask| u32::from_str_radix(mask.trim(), 8).unwrap())
        .expect("Linux 4.7 or later shows Umask in /proc/self/status");
    let mode = fs::metadata(scratch.path("copy")).unwrap().mode() & 0o777;
    assert_eq!(
        format!("{mode:o}"),
        format!("{:o}", 0o757 & !umask),
        "the copy's permission bits"
    );
}

#[test]
fn reports_errors_as_cp_does() {
    let scratch = Scratch::new();
    fs::write(scratch.path("source"), "data").unwrap();
    let cases = [
        (
            ["missing", "copy"],
            "sparse_copy: cannot stat 'missing': No such file or directory\n",
        ),
        (
            ["source", "nodir/copy"],
            "sparse_copy: cannot create regular file 'nodir/copy': No such file or directory\n",
        ),
    ];
    for ([source, target], message) in cases {
        let out = scratch.sparse_copy(source, target);
        assert_eq!(out.stderr_text(), message, "{out}");
        assert_eq!(out.code(), Some(1), "{out}");
        let cp = run(Command::new("cp")
            .args(["--sparse=always", source, target])
            .current_dir(scratch.dir.path())
            .env("LC_ALL", "C"));
        if cp.stderr_text().starts_with("cp: ") {
            let theirs = cp.stderr_text().replacen("cp: ", "sparse_copy: ", 1);
            assert_eq!(out.stderr_text(), theirs, "cp says it so");
        } else {
            eprintln!("note: no GNU cp here; not comparing messages");
        }
    }
    assert!(
        !scratch.path("copy").exists(),
        "nothing is created for a missing source"
    );
    let out = run(Command::new(exercise_bin!("sparse_copy")).arg("only-one"));
    assert_eq!(out.code(), Some(1), "{out}");
    assert!(!out.stderr.is_empty(), "a usage line: {out}");
}
