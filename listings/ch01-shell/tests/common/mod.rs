//! Helpers for the chapter 1 tests: run our tools and GNU coreutils on
//! identical inputs, take snapshots of directory trees, and record shell
//! sessions for the book.

#![allow(dead_code)] // each test file uses a different part

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::SystemTime;

use harness::{Normalizer, Output, run};
use tempfile::TempDir;

/// The directory that holds the chapter's binaries: `$bin` in the book.
pub fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_ls"))
        .parent()
        .expect("binaries live in a directory")
        .to_path_buf()
}

/// Our `tool`, ready to run.
pub fn ours(tool: &str) -> Command {
    Command::new(bin_dir().join(tool))
}

/// The real `tool` from GNU coreutils, in the C locale: plain ASCII quotes
/// in messages, and names sorted by their bytes.
pub fn coreutils(tool: &str) -> Command {
    static CHECKED: OnceLock<()> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let version = run(Command::new("ls").arg("--version"));
        assert!(
            version.stdout_text().contains("GNU coreutils"),
            "these tests compare the listings with GNU coreutils, and `ls` on PATH is not \
             GNU's:\n{}",
            version.stdout_text()
        );
    });
    let mut cmd = Command::new(tool);
    cmd.env("LC_ALL", "C");
    cmd
}

/// A fresh temporary directory, filled by `setup`.
pub fn fixture(setup: impl Fn(&Path)) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    setup(dir.path());
    dir
}

/// What our tool and coreutils' did with the same arguments, each in its
/// own copy of the same starting tree.
pub struct Both {
    pub ours: Output,
    pub theirs: Output,
    pub our_dir: TempDir,
    pub their_dir: TempDir,
}

/// Runs our `tool` and coreutils' with `args` in two directories prepared
/// by `setup`, and asserts that they wrote the same bytes to stdout and
/// stderr, exited with the same status, and left the same tree.
#[track_caller]
pub fn same_as_coreutils<A: AsRef<OsStr>>(tool: &str, args: &[A], setup: impl Fn(&Path)) -> Both {
    let both = same_output_as_coreutils(tool, args, setup);
    assert_eq!(
        snapshot(both.our_dir.path()),
        snapshot(both.their_dir.path()),
        "the tree `{tool} {}` left (ours left)",
        describe_args(args)
    );
    both
}

/// [`same_as_coreutils`] without comparing the trees left behind.
#[track_caller]
pub fn same_output_as_coreutils<A: AsRef<OsStr>>(
    tool: &str,
    args: &[A],
    setup: impl Fn(&Path),
) -> Both {
    let (our_dir, their_dir) = (fixture(&setup), fixture(&setup));
    let ours = run(ours(tool).args(args).current_dir(our_dir.path()));
    let theirs = run(coreutils(tool).args(args).current_dir(their_dir.path()));
    let context = format!("{tool} {}", describe_args(args));
    assert_eq!(
        ours.stdout_text(),
        theirs.stdout_text(),
        "stdout of `{context}` (ours left)"
    );
    assert_eq!(ours.stdout, theirs.stdout, "stdout bytes of `{context}`");
    assert_eq!(
        ours.stderr_text(),
        theirs.stderr_text(),
        "stderr of `{context}` (ours left)"
    );
    assert_eq!(ours.code(), theirs.code(), "exit status of `{context}`");
    Both {
        ours,
        theirs,
        our_dir,
        their_dir,
    }
}

fn describe_args<A: AsRef<OsStr>>(args: &[A]) -> String {
    let shown: Vec<_> = args
        .iter()
        .map(|arg| arg.as_ref().to_string_lossy())
        .collect();
    shown.join(" ")
}

/// One entry of a directory tree, as a test compares it.
#[derive(PartialEq, Eq)]
pub enum Node {
    File { mode: u32, bytes: Vec<u8> },
    Dir { mode: u32 },
    Link { target: PathBuf },
}

/// Short enough to read in a failed assertion: a big file shows its size
/// and a checksum, not its bytes.
impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::File { mode, bytes } if bytes.len() <= 40 => {
                write!(f, "File({mode:o}, {:?})", String::from_utf8_lossy(bytes))
            }
            Node::File { mode, bytes } => {
                let sum = bytes.iter().fold(0u32, |sum, &byte| {
                    sum.wrapping_mul(31).wrapping_add(u32::from(byte))
                });
                write!(f, "File({mode:o}, {} bytes, sum {sum:08x})", bytes.len())
            }
            Node::Dir { mode } => write!(f, "Dir({mode:o})"),
            Node::Link { target } => write!(f, "Link -> {}", target.display()),
        }
    }
}

/// Every entry under `root` (not following symbolic links), by path
/// relative to `root`.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Node> {
    let mut nodes = BTreeMap::new();
    walk(root, root, &mut nodes);
    nodes
}

fn walk(root: &Path, dir: &Path, nodes: &mut BTreeMap<PathBuf, Node>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = fs::symlink_metadata(&path).unwrap();
        let mode = meta.permissions().mode() & 0o7777;
        let node = if meta.is_symlink() {
            Node::Link {
                target: fs::read_link(&path).unwrap(),
            }
        } else if meta.is_dir() {
            walk(root, &path, nodes);
            Node::Dir { mode }
        } else {
            Node::File {
                mode,
                bytes: fs::read(&path).unwrap(),
            }
        };
        nodes.insert(path.strip_prefix(root).unwrap().to_path_buf(), node);
    }
}

/// Modification times of the files and directories under `root`.
pub fn mtimes(root: &Path) -> BTreeMap<PathBuf, SystemTime> {
    snapshot(root)
        .into_iter()
        .filter(|(_, node)| !matches!(node, Node::Link { .. }))
        .map(|(path, _)| {
            let time = fs::metadata(root.join(&path)).unwrap().modified().unwrap();
            (path, time)
        })
        .collect()
}

/// The device and inode of `path`: which file it is.
pub fn identity(path: &Path) -> (u64, u64) {
    let meta = fs::symlink_metadata(path).unwrap();
    (meta.dev(), meta.ino())
}

/// `bytes` bytes that are not text: every byte value, NULs and invalid
/// UTF-8 included, in an order that does not repeat every 256 bytes.
/// At most 4 MiB; made once per test binary.
pub fn binary(bytes: usize) -> Vec<u8> {
    static NOISE: OnceLock<Vec<u8>> = OnceLock::new();
    let noise = NOISE.get_or_init(|| {
        let mut state = 0x2545_f491_u32;
        (0..4 << 20)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (state >> 16) as u8
            })
            .collect()
    });
    noise[..bytes].to_vec()
}

/// Runs `lines` one after another in one `sh`, in `dir`, with `$bin` set
/// to the chapter's binaries, and returns what a terminal shows: each line
/// after `$ `, then its output, stdout and stderr interleaved. The shown
/// commands are exactly the ones that ran. Each of `extra` is a variable
/// naming a directory, and how the book shows that directory.
pub fn session(dir: &Path, extra: &[(&str, &Path, &str)], lines: &[&str]) -> String {
    // `$?` must be the last command's status, not that of the `printf`
    // which shows the next one: keep it, and restore it with `(exit N)`.
    let mut script = String::from("exec 2>&1\nstatus=0\n");
    for line in lines {
        let shown = format!("$ {line}").replace('\'', r"'\''");
        script.push_str(&format!(
            "printf '%s\\n' '{shown}'\n(exit $status); {line}\nstatus=$?\n"
        ));
    }
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("bin", bin_dir())
        .env("LC_ALL", "C")
        .env("TZ", "UTC");
    let mut normalizer = Normalizer::new().path(dir, "/tmp/demo");
    for (name, path, shown) in extra {
        cmd.env(name, path);
        normalizer = normalizer.path(path, shown);
    }
    let out = run(&mut cmd);
    assert!(out.stderr.is_empty(), "stderr went to stdout");
    normalizer.apply(&out.stdout_text())
}

/// A temporary directory on another file system than `near`, where
/// rename(2) from `near` fails with EXDEV. /dev/shm is a tmpfs, a file
/// system in memory, on every usual Linux.
pub fn other_file_system(near: &Path) -> TempDir {
    let shm = tempfile::tempdir_in("/dev/shm")
        .expect("these tests need /dev/shm, a tmpfs, to move files across file systems");
    assert_ne!(
        identity(shm.path()).0,
        identity(near).0,
        "{} and {} are on the same file system: set TMPDIR to a directory on disk",
        shm.path().display(),
        near.display()
    );
    shm
}
