//! Exercise 6.2: A `pgrep` over `/proc`
//! Edit: exercises/ch06-processes/src/bin/pgrep_lite.rs
//! Hint: List `/proc` with `fs::read_dir` and keep the names that parse as numbers. In `/proc/<pid>/stat` the name sits between the first `(` and the last `)`; the parent is the second field after that `)`. Skip `std::process::id()`, and skip a process whose file vanished: it exited while you looked.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use harness::{ChildGuard, Output, exercise_bin, run};

use super::have;

/// Sleeping processes whose name is `name`: the kernel names a process
/// after the file it runs, so each runs `sleep` through a symbolic link.
fn sleepers(dir: &Path, name: &str, count: usize) -> Vec<ChildGuard> {
    let link = dir.join(name);
    if !link.exists() {
        let sleep = ["/usr/bin/sleep", "/bin/sleep"]
            .into_iter()
            .find(|path| Path::new(path).exists())
            .expect("a sleep binary");
        symlink(sleep, &link).unwrap();
    }
    (0..count)
        .map(|_| {
            let mut cmd = Command::new(&link);
            cmd.arg("600").stdin(Stdio::null()).stdout(Stdio::null());
            ChildGuard::spawn(&mut cmd).unwrap()
        })
        .collect()
}

/// A name no other test or process uses: at most 15 bytes, the kernel's
/// limit for a process name.
fn unique(tag: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("e62{tag}{}{n}", std::process::id() % 100_000)
}

fn ours(args: &[&str]) -> Output {
    run(Command::new(exercise_bin!("pgrep_lite")).args(args))
}

/// Our output and status equal those of the real `pgrep` (procps), when
/// it is installed; and the PIDs are `expected`.
fn agrees(args: &[&str], expected: &[u32]) {
    let out = ours(args);
    let want: String = expected.iter().map(|pid| format!("{pid}\n")).collect();
    assert_eq!(out.stdout_text(), want, "pgrep_lite {args:?}\n{out}");
    assert_eq!(
        out.code(),
        Some(if expected.is_empty() { 1 } else { 0 }),
        "{out}"
    );
    if have("pgrep") {
        let real = run(Command::new("pgrep").args(args));
        assert_eq!(real.stdout_text(), want, "pgrep {args:?} disagrees: {real}");
    }
}

fn pids(guards: &[ChildGuard]) -> Vec<u32> {
    let mut pids: Vec<u32> = guards.iter().map(ChildGuard::id).collect();
    pids.sort_unstable();
    pids
}

#[test]
fn a_pattern_matches_part_of_a_name_and_pids_come_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let name = unique("a");
    let group = sleepers(dir.path(), &name, 3);
    agrees(&[&name[1..]], &pids(&group));
    agrees(&[&name], &pids(&group));
}

#[test]
fn x_requires_the_whole_name() {
    let dir = tempfile::tempdir().unwrap();
    let name = unique("b");
    let group = sleepers(dir.path(), &name, 2);
    agrees(&["-x", &name], &pids(&group));
    agrees(&["-x", &name[1..]], &[]);
}

#[test]
fn capital_p_keeps_only_the_children_of_one_parent() {
    let dir = tempfile::tempdir().unwrap();
    let name = unique("c");
    let group = sleepers(dir.path(), &name, 2);
    let me = std::process::id().to_string();
    agrees(&["-P", &me, &name], &pids(&group));
    agrees(&["-P", "1", &name], &[]);
}

#[test]
fn no_match_prints_nothing_and_exits_with_1() {
    agrees(&[&unique("none")], &[]);
}

#[test]
fn it_never_lists_itself() {
    // Other runs may be going on, and may be listed; this one must not be.
    let mut cmd = Command::new(exercise_bin!("pgrep_lite"));
    cmd.args(["-x", "pgrep_lite"])
        .stdout(Stdio::piped())
        .stdin(Stdio::null());
    let mut guard = ChildGuard::spawn(&mut cmd).unwrap();
    let own = guard.id().to_string();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut guard.child_mut().stdout.take().unwrap(), &mut text)
        .unwrap();
    let status = guard
        .wait_timeout(harness::DEADLINE)
        .unwrap()
        .expect("it exits");
    assert!(status.code().is_some_and(|code| code <= 1), "{status}");
    assert!(
        !text.lines().any(|line| line == own),
        "it listed itself: {text}"
    );
}

#[test]
fn bad_arguments_give_2() {
    for args in [
        &[][..],
        &["-P"],
        &["-P", "abc", "x"],
        &["-q", "x"],
        &["a", "b"],
    ] {
        let out = ours(args);
        assert_eq!(out.code(), Some(2), "pgrep_lite {args:?}: {out}");
    }
}
