//! Exercise 1.1: `which`: finding a program in PATH
//! Edit: exercises/ch01-shell/src/bin/which.rs
//! Hint: Read PATH with `env::var_os` and split its bytes at `b':'`, mapping an empty entry to `.`. Build each candidate as bytes (`[dir, b"/", name].concat()`), not with `Path::join`. `fs::metadata(p)?.is_file()` follows links; `nix::unistd::access(p, AccessFlags::X_OK)` asks the kernel whether you may execute it, which the mode bits alone cannot tell you.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use harness::{DEADLINE, Output, RunError, exercise_bin, run, try_run};
use tempfile::TempDir;

const SCRIPT: &str = "#!/bin/sh\nexit 0\n";

/// A scratch directory to build PATH entries in.
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

    /// A file at `relative` (its directories created) with permission
    /// bits `mode`.
    fn file(&self, relative: &str, mode: u32) -> PathBuf {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, SCRIPT).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    fn dir(&self, relative: &str) -> PathBuf {
        let path = self.path(relative);
        fs::create_dir_all(&path).unwrap();
        path
    }

    /// PATH made of these entries, each relative to the scratch directory
    /// unless it is empty (the current directory).
    fn path_of(&self, entries: &[&str]) -> String {
        entries
            .iter()
            .map(|entry| match *entry {
                "" => String::new(),
                entry => self.path(entry).to_str().unwrap().to_owned(),
            })
            .collect::<Vec<_>>()
            .join(":")
    }

    /// Runs the exercise with `path` as PATH (`None`: unset) in the scratch
    /// directory, and checks that debianutils' `which` agrees.
    fn which(&self, path: Option<&str>, args: &[&str]) -> Output {
        let ours = run(&mut self.command(exercise_bin!("which"), path, args));
        if let Some(real) = real_which() {
            let theirs = run(&mut self.command(&real, path, args));
            assert_eq!(
                (ours.stdout_text(), ours.code()),
                (theirs.stdout_text(), theirs.code()),
                "`which {}` with PATH={path:?}: yours printed (and exited with) the \
                 left side, {} the right side.\n{ours}",
                args.join(" "),
                real.display()
            );
        }
        ours
    }

    /// Runs the exercise as the user nobody, for whom the scratch files
    /// (owned by root) belong to others, and checks that `which` agrees.
    /// `None` if nobody cannot run it (the build directory is private).
    fn which_as_nobody(&self, path: &str, args: &[&str]) -> Option<Output> {
        const NOBODY: u32 = 65534;
        let public = fs::Permissions::from_mode(0o755);
        fs::set_permissions(self.dir.path(), public).unwrap();
        let as_nobody = |program: &OsStr| {
            let mut cmd = self.command(program, Some(path), args);
            cmd.uid(NOBODY).gid(NOBODY);
            match try_run(&mut cmd, b"", DEADLINE) {
                Ok(out) => Some(out),
                Err(RunError::Spawn(err)) => {
                    eprintln!("note: cannot run {program:?} as nobody ({err}); skipped");
                    None
                }
                Err(err) => panic!("{err}"),
            }
        };
        let ours = as_nobody(OsStr::new(exercise_bin!("which")))?;
        if let Some(real) = real_which()
            && let Some(theirs) = as_nobody(real.as_os_str())
        {
            assert_eq!(
                (ours.stdout_text(), ours.code()),
                (theirs.stdout_text(), theirs.code()),
                "`which {}` as nobody: yours printed (and exited with) the left side, \
                 {} the right side.\n{ours}",
                args.join(" "),
                real.display()
            );
        }
        Some(ours)
    }

    fn command(&self, program: impl AsRef<OsStr>, path: Option<&str>, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args).current_dir(self.dir.path());
        match path {
            Some(path) => cmd.env("PATH", path),
            None => cmd.env_remove("PATH"),
        };
        cmd
    }
}

/// debianutils' `which`, a shell script, if this system has it. Other
/// systems' `which` (GNU which, busybox) behave differently.
fn real_which() -> Option<PathBuf> {
    for candidate in ["/usr/bin/which", "/bin/which"] {
        let Ok(script) = fs::read(candidate) else {
            continue;
        };
        if script.starts_with(b"#!") {
            return Some(PathBuf::from(candidate));
        }
        eprintln!("note: {candidate} is not debianutils' which; not comparing with it");
        return None;
    }
    eprintln!("note: debianutils' which is not installed; not comparing with it");
    None
}

/// One line for each path, as `which` prints them.
fn lines<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> String {
    paths
        .into_iter()
        .map(|path| format!("{}\n", path.as_ref().display()))
        .collect()
}

#[test]
fn prints_the_first_executable_regular_file_in_path_order() {
    let scratch = Scratch::new();
    scratch.file("plain/tool", 0o644); // not executable
    scratch.dir("dirs/tool"); // executable, but a directory
    let found = scratch.file("bin/tool", 0o755);
    scratch.file("later/tool", 0o755); // found first in bin
    let path = scratch.path_of(&["missing", "plain", "dirs", "bin", "later"]);
    let out = scratch.which(Some(&path), &["tool"]);
    assert_eq!(out.stdout_text(), lines([found]), "{out}");
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn dash_a_prints_every_match() {
    let scratch = Scratch::new();
    let first = scratch.file("bin/tool", 0o755);
    scratch.file("plain/tool", 0o600);
    let second = scratch.file("later/tool", 0o700);
    let path = scratch.path_of(&["bin", "plain", "later"]);
    let out = scratch.which(Some(&path), &["-a", "tool"]);
    assert_eq!(out.stdout_text(), lines([first, second]), "{out}");
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn follows_symbolic_links_and_prints_the_link() {
    let scratch = Scratch::new();
    let target = scratch.file("elsewhere/real-tool", 0o755);
    scratch.dir("dangling");
    symlink(scratch.path("nowhere"), scratch.path("dangling/tool")).unwrap();
    scratch.dir("to-dir");
    symlink(scratch.dir("a-directory"), scratch.path("to-dir/tool")).unwrap();
    scratch.dir("linked");
    let link = scratch.path("linked/tool");
    symlink(&target, &link).unwrap();
    let path = scratch.path_of(&["dangling", "to-dir", "linked"]);
    let out = scratch.which(Some(&path), &["tool"]);
    assert_eq!(out.stdout_text(), lines([link]), "the link's path: {out}");
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn an_empty_entry_is_the_current_directory() {
    let scratch = Scratch::new();
    scratch.file("tool", 0o755);
    scratch.dir("bin");
    for path in [":bin", "bin:", "bin::bin"] {
        // Relative entries: relative to the current directory.
        let out = scratch.which(Some(path), &["tool"]);
        assert_eq!(out.stdout_text(), "./tool\n", "PATH={path:?}: {out}");
        assert_eq!(out.code(), Some(0), "PATH={path:?}: {out}");
    }
}

#[test]
fn entries_and_names_are_joined_as_text() {
    let scratch = Scratch::new();
    scratch.file("bin/tool", 0o755);
    let out = scratch.which(Some("bin/"), &["tool"]);
    assert_eq!(out.stdout_text(), "bin//tool\n", "{out}");
    let out = scratch.which(Some("./bin"), &["tool"]);
    assert_eq!(out.stdout_text(), "./bin/tool\n", "{out}");
}

#[test]
fn an_empty_path_finds_nothing() {
    let scratch = Scratch::new();
    scratch.file("tool", 0o755);
    let out = scratch.which(Some(""), &["tool"]);
    assert_eq!(out.stdout_text(), "", "{out}");
    assert_eq!(out.code(), Some(1), "{out}");
}

#[test]
fn an_unset_path_searches_the_shells_default() {
    let scratch = Scratch::new();
    let out = scratch.which(None, &["sh"]);
    let default = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin"];
    let default = default.iter().chain(&["/usr/bin", "/sbin", "/bin"]);
    let found = out.stdout_text();
    assert!(
        default.clone().any(|dir| found == format!("{dir}/sh\n")),
        "every Linux system has a sh in one of /usr/local/sbin:/usr/local/bin:\
         /usr/sbin:/usr/bin:/sbin:/bin: {out}"
    );
    assert_eq!(out.code(), Some(0), "{out}");
}

#[test]
fn a_name_with_a_slash_is_checked_as_given() {
    let scratch = Scratch::new();
    scratch.file("here/tool", 0o755);
    scratch.file("here/data", 0o644);
    let absolute = scratch.file("abs/tool", 0o755);
    let absolute = absolute.to_str().unwrap();
    scratch.file("bin/tool", 0o755); // not consulted for a name with a /
    let path = scratch.path_of(&["bin"]);
    let out = scratch.which(Some(&path), &["here/tool", absolute, "./here/tool"]);
    let expected = format!("here/tool\n{absolute}\n./here/tool\n");
    assert_eq!(out.stdout_text(), expected, "{out}");
    assert_eq!(out.code(), Some(0), "{out}");
    let out = scratch.which(Some(&path), &["here/data"]);
    assert_eq!(out.stdout_text(), "", "{out}");
    assert_eq!(out.code(), Some(1), "{out}");
}

#[test]
fn exits_with_1_if_any_name_is_missing() {
    let scratch = Scratch::new();
    let tool = scratch.file("bin/tool", 0o755);
    let other = scratch.file("bin/other", 0o755);
    let path = scratch.path_of(&["bin"]);
    let out = scratch.which(Some(&path), &["tool", "missing", "other"]);
    assert_eq!(out.stdout_text(), lines([tool, other]), "{out}");
    assert_eq!(out.code(), Some(1), "{out}");
    let out = scratch.which(Some(&path), &[]);
    assert_eq!(out.stdout_text(), "", "{out}");
    assert_eq!(out.code(), Some(1), "no NAME at all: {out}");
}

#[test]
fn the_kernel_decides_who_may_execute() {
    let scratch = Scratch::new();
    scratch.file("bin/others-only", 0o001);
    scratch.file("bin/group-only", 0o010);
    let owner = scratch.file("bin/owner-only", 0o100);
    scratch.file("bin/none", 0o666);
    let path = scratch.path_of(&["bin"]);
    let names = ["others-only", "group-only", "owner-only", "none"];
    let out = scratch.which(Some(&path), &names);
    // You own these files, so only the owner's bits count for you: an x
    // for the group or the others does not let their owner run them. Root
    // may run a file that has any x bit.
    let bin = scratch.path("bin");
    let root = nix::unistd::geteuid().is_root();
    let expected = if root {
        lines(names[..3].iter().map(|name| bin.join(name)))
    } else {
        lines([owner])
    };
    assert_eq!(out.stdout_text(), expected, "{out}");
    assert_eq!(out.code(), Some(1), "`none` is never found: {out}");
    if root {
        // Root passes every check; see what a stranger may run.
        let out = scratch.which_as_nobody(&path, &names);
        if let Some(out) = out {
            let expected = lines([bin.join("others-only")]);
            assert_eq!(out.stdout_text(), expected, "as nobody: {out}");
        }
    }
}

#[test]
fn an_unknown_option_is_a_usage_error() {
    let scratch = Scratch::new();
    let path = scratch.path_of(&["bin"]);
    let out = run(&mut scratch.command(exercise_bin!("which"), Some(&path), &["-x", "tool"]));
    assert_eq!(out.code(), Some(2), "{out}");
    assert_eq!(out.stdout_text(), "", "{out}");
    assert!(!out.stderr.is_empty(), "a usage line on stderr: {out}");
}
