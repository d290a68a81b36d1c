//! Exercise 1.2: `du -sb`: the size of a tree
//! Edit: exercises/ch01-shell/src/bin/du_sb.rs
//! Hint: Walk each tree with `fs::symlink_metadata` for the operand and `DirEntry::metadata` inside (neither follows links), adding up `len()`. Keep one `HashSet` of `(meta.dev(), meta.ino())` for the whole run, and skip any file whose pair is already in it, operands included. Print the operand's bytes (`OsStrExt::as_bytes`), not a lossy string.

use std::fs::{self, File};
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::PathBuf;
use std::process::Command;

use harness::{Output, exercise_bin, run};
use tempfile::TempDir;

/// A scratch directory to build trees in.
struct Scratch {
    dir: TempDir,
}

impl Scratch {
    fn new() -> Self {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn file(&self, relative: &str, contents: &[u8]) -> PathBuf {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        path
    }

    fn dir(&self, relative: &str) -> PathBuf {
        let path = self.path(relative);
        fs::create_dir_all(&path).unwrap();
        path
    }

    /// The apparent size of each of these paths, added up: what `du -sb`
    /// counts for a tree made of exactly these (each counted once).
    fn sizes(&self, relative: &[&str]) -> u64 {
        relative
            .iter()
            .map(|path| fs::symlink_metadata(self.path(path)).unwrap().len())
            .sum()
    }

    /// Runs the exercise in the scratch directory, and checks that GNU
    /// `du -sb` prints the same (with `du:` for `du_sb:`) and exits alike.
    fn du_sb(&self, args: &[&str]) -> Output {
        let ours = run(Command::new(exercise_bin!("du_sb"))
            .args(args)
            .current_dir(self.dir.path()));
        if gnu_du() {
            let theirs = run(Command::new("du")
                .arg("-sb")
                .args(args)
                .current_dir(self.dir.path())
                .env("LC_ALL", "C"));
            let their_errors = theirs.stderr_text().replace("du: ", "du_sb: ");
            assert_eq!(
                (ours.stdout_text(), ours.stderr_text(), ours.code()),
                (theirs.stdout_text(), their_errors, theirs.code()),
                "`du_sb {0}`: yours printed (and exited with) the left side, \
                 `du -sb {0}` the right side",
                args.join(" ")
            );
        }
        ours
    }
}

/// Whether GNU coreutils' `du` is on PATH.
fn gnu_du() -> bool {
    let version = Command::new("du").arg("--version").output();
    let is_gnu = version.is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("GNU"));
    if !is_gnu {
        eprintln!("note: GNU du is not installed; not comparing with `du -sb`");
    }
    is_gnu
}

/// A tree with every kind of entry: nested directories, files, an empty
/// directory, a symbolic link to a file and a dangling one.
fn tree(scratch: &Scratch) -> u64 {
    scratch.file("t/a/f", b"hello");
    scratch.file("t/a/b/g", b"0123456789");
    scratch.file("t/top.txt", &[b'x'; 5000]);
    scratch.dir("t/empty");
    symlink("a/f", scratch.path("t/link")).unwrap();
    symlink("/nonexistent/dir/file", scratch.path("t/dangling")).unwrap();
    let all = ["t", "t/a", "t/a/f", "t/a/b", "t/a/b/g", "t/top.txt"];
    scratch.sizes(&all) + scratch.sizes(&["t/empty", "t/link", "t/dangling"])
}

#[test]
fn sums_a_tree_of_directories_files_and_links() {
    let scratch = Scratch::new();
    let total = tree(&scratch);
    let out = scratch.du_sb(&["t"]);
    assert_eq!(out.stdout_text(), format!("{total}\tt\n"), "{out}");
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn counts_a_file_with_two_names_once() {
    let scratch = Scratch::new();
    let first = scratch.file("t/first", &[b'h'; 1000]);
    scratch.dir("t/sub");
    fs::hard_link(&first, scratch.path("t/sub/second")).unwrap();
    let total = scratch.sizes(&["t", "t/first", "t/sub"]);
    let out = scratch.du_sb(&["t"]);
    assert_eq!(out.stdout_text(), format!("{total}\tt\n"), "{out}");
    let out = scratch.du_sb(&["t/first", "t/sub/second"]);
    assert_eq!(out.stdout_text(), "1000\tt/first\n", "{out}");
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn counts_the_apparent_size_of_a_sparse_file() {
    let scratch = Scratch::new();
    let sparse = scratch.path("sparse");
    let file = File::create(&sparse).unwrap();
    file.set_len(64 << 20).unwrap(); // 64 MiB of hole
    let meta = file.metadata().unwrap();
    if meta.blocks() * 512 >= meta.len() {
        eprintln!("note: this file system does not make holes; the file is not sparse");
    }
    let out = scratch.du_sb(&["sparse"]);
    assert_eq!(out.stdout_text(), "67108864\tsparse\n", "{out}");
}

#[test]
fn does_not_follow_a_symbolic_link_operand() {
    let scratch = Scratch::new();
    scratch.file("big/data", &[0; 100_000]);
    symlink("big", scratch.path("link")).unwrap();
    let out = scratch.du_sb(&["link"]);
    assert_eq!(out.stdout_text(), "3\tlink\n", "the link's own size: {out}");
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn an_empty_directory_counts_its_own_size_and_no_operand_means_dot() {
    let scratch = Scratch::new();
    let empty = scratch.dir("empty");
    let own = fs::metadata(&empty).unwrap().len();
    let out = scratch.du_sb(&["empty"]);
    assert_eq!(out.stdout_text(), format!("{own}\tempty\n"), "{out}");
    let out = run(Command::new(exercise_bin!("du_sb")).current_dir(&empty));
    assert_eq!(out.stdout_text(), format!("{own}\t.\n"), "{out}");
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn counts_each_file_once_across_operands() {
    let scratch = Scratch::new();
    let total = tree(&scratch);
    let inner = scratch.sizes(&["t/a", "t/a/f", "t/a/b", "t/a/b/g"]);
    let out = scratch.du_sb(&["t/a", "t"]);
    let expected = format!("{inner}\tt/a\n{}\tt\n", total - inner);
    assert_eq!(out.stdout_text(), expected, "{out}");
    let out = scratch.du_sb(&["t", "t/a", "t", "./t"]);
    assert_eq!(out.stdout_text(), format!("{total}\tt\n"), "{out}");
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn reports_a_missing_operand_and_goes_on() {
    let scratch = Scratch::new();
    scratch.file("one", b"1");
    scratch.file("three", b"333");
    let out = scratch.du_sb(&["one", "two", "three"]);
    assert_eq!(out.stdout_text(), "1\tone\n3\tthree\n", "{out}");
    assert_eq!(
        out.stderr_text(),
        "du_sb: cannot access 'two': No such file or directory\n",
        "{out}"
    );
    assert_eq!(out.code(), Some(1), "{out}");
}

/// Gives a directory its permissions back when dropped, so that the
/// temporary directory can be removed even after a failed assertion.
struct Locked(PathBuf);

impl Drop for Locked {
    fn drop(&mut self) {
        let _ = fs::set_permissions(&self.0, fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn reports_a_directory_it_cannot_read_and_counts_its_own_size() {
    let scratch = Scratch::new();
    scratch.file("t/locked/secret", &[b's'; 700]);
    scratch.file("t/open", b"open");
    let own = scratch.sizes(&["t", "t/locked", "t/open"]);
    let locked = Locked(scratch.path("t/locked"));
    fs::set_permissions(&locked.0, fs::Permissions::from_mode(0o000)).unwrap();
    let out = scratch.du_sb(&["t"]);
    if nix::unistd::geteuid().is_root() {
        // Root may read any directory: there is nothing to report.
        let total = own + 700;
        assert_eq!(out.stdout_text(), format!("{total}\tt\n"), "as root: {out}");
        assert_eq!(out.code(), Some(0), "as root: {out}");
    } else {
        assert_eq!(out.stdout_text(), format!("{own}\tt\n"), "{out}");
        assert_eq!(
            out.stderr_text(),
            "du_sb: cannot read directory 't/locked': Permission denied\n",
            "{out}"
        );
        assert_eq!(out.code(), Some(1), "{out}");
    }
}
