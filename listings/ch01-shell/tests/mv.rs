mod common;

use std::fs;
use std::io;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::time::{Duration, SystemTime};

use ch01_shell::{Moved, move_path, move_with};
use common::{
    binary, coreutils, identity, mtimes, other_file_system, ours, same_as_coreutils, session,
    snapshot,
};
use harness::{Normalizer, check_output, run};

fn files(dir: &Path) {
    fs::write(dir.join("notes.txt"), "draft\n").unwrap();
    fs::write(dir.join("big"), binary(2 * 1024 * 1024 + 3)).unwrap();
    fs::write(dir.join("my file"), "spaces\n").unwrap();
    fs::create_dir(dir.join("archive")).unwrap();
    fs::create_dir_all(dir.join("tree/sub")).unwrap();
    fs::write(dir.join("tree/sub/deep.txt"), "deep\n").unwrap();
    fs::write(dir.join("tree/run.sh"), "#!/bin/sh\n").unwrap();
    fs::set_permissions(dir.join("tree/run.sh"), fs::Permissions::from_mode(0o750)).unwrap();
    symlink("sub/deep.txt", dir.join("tree/link")).unwrap();
    symlink("notes.txt", dir.join("notes-link")).unwrap();
    // Old times, so that a move that forgot them stands out.
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for path in [
        "notes.txt",
        "big",
        "tree/sub/deep.txt",
        "tree/run.sh",
        "tree/sub",
        "tree",
    ] {
        fs::File::open(dir.join(path))
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
}

#[test]
fn mv_renames_within_a_file_system_keeping_the_inode() {
    let both = same_as_coreutils("mv", &["big", "renamed"], files);
    let fresh = common::fixture(files);
    let dir = both.our_dir.path();
    assert!(!dir.join("big").exists());
    assert_eq!(
        fs::read(dir.join("renamed")).unwrap(),
        binary(2 * 1024 * 1024 + 3)
    );
    // Same file system: the inode is the same, only its name changed.
    let before = identity(&fresh.path().join("big"));
    let dir = tempfile::tempdir_in(fresh.path()).unwrap();
    run(ours("mv")
        .arg("big")
        .arg(dir.path())
        .current_dir(fresh.path()))
    .assert_success();
    assert_eq!(identity(&dir.path().join("big")).1, before.1);
}

#[test]
fn mv_replaces_an_existing_file() {
    let both = same_as_coreutils("mv", &["notes.txt", "big"], files);
    let dir = both.our_dir.path();
    assert_eq!(fs::read(dir.join("big")).unwrap(), b"draft\n");
    assert!(!dir.join("notes.txt").exists());
}

#[test]
fn mv_moves_into_a_directory_keeping_each_name() {
    let both = same_as_coreutils("mv", &["notes.txt", "my file", "tree", "archive"], files);
    let moved = snapshot(&both.our_dir.path().join("archive"));
    assert!(moved.contains_key(Path::new("my file")));
    assert!(moved.contains_key(Path::new("tree/sub/deep.txt")));
    same_as_coreutils("mv", &["notes.txt", "archive/"], files);
}

#[test]
fn mv_v_reports_a_rename_like_coreutils() {
    let both = same_as_coreutils("mv", &["-v", "notes.txt", "archive"], files);
    assert_eq!(
        both.ours.stdout_text(),
        "renamed 'notes.txt' -> 'archive/notes.txt'\n"
    );
}

#[test]
fn mv_moves_a_symbolic_link_not_its_target() {
    let both = same_as_coreutils("mv", &["notes-link", "archive"], files);
    let dir = both.our_dir.path();
    assert!(
        fs::symlink_metadata(dir.join("archive/notes-link"))
            .unwrap()
            .is_symlink()
    );
    assert!(dir.join("notes.txt").is_file());
}

/// Moves `source` from a fresh fixture to a tmpfs directory with `mv`
/// (`ours` or coreutils'), and returns the fixture, the tmpfs directory,
/// and what `mv -v` printed with the tmpfs path shown as `/dev/shm/demo`.
fn move_across(
    ours_or_theirs: &str,
    source: &str,
) -> (tempfile::TempDir, tempfile::TempDir, String) {
    let dir = common::fixture(files);
    let shm = other_file_system(dir.path());
    let mut mv = if ours_or_theirs == "ours" {
        ours("mv")
    } else {
        coreutils("mv")
    };
    let out = run(mv
        .arg("-v")
        .arg(source)
        .arg(shm.path())
        .current_dir(dir.path()));
    out.assert_success();
    let shown = Normalizer::new()
        .path(shm.path(), "/dev/shm/demo")
        .apply(&out.stdout_text());
    (dir, shm, shown)
}

#[test]
fn mv_across_file_systems_copies_then_removes_like_coreutils() {
    let (dir, shm, shown) = move_across("ours", "big");
    let (_their_dir, their_shm, their_shown) = move_across("theirs", "big");
    assert_eq!(
        shown,
        "copied 'big' -> '/dev/shm/demo/big'\nremoved 'big'\n"
    );
    assert_eq!(shown, their_shown);
    assert!(!dir.path().join("big").exists(), "the source is gone");
    assert_eq!(snapshot(shm.path()), snapshot(their_shm.path()));
    assert_eq!(mtimes(shm.path()), mtimes(their_shm.path()));
    assert_eq!(
        fs::read(shm.path().join("big")).unwrap(),
        binary(2 * 1024 * 1024 + 3)
    );
}

#[test]
fn mv_across_file_systems_moves_a_whole_tree_with_modes_links_and_times() {
    let (dir, shm, _) = move_across("ours", "tree");
    let (_their_dir, their_shm, _) = move_across("theirs", "tree");
    assert!(!dir.path().join("tree").exists(), "the source is gone");
    assert_eq!(snapshot(shm.path()), snapshot(their_shm.path()));
    assert_eq!(
        snapshot(&shm.path().join("tree")),
        snapshot(&common::fixture(files).path().join("tree"))
    );
    assert_eq!(mtimes(shm.path()), mtimes(their_shm.path()));
    let mode = fs::metadata(shm.path().join("tree/run.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o750);
}

#[test]
fn rename_across_file_systems_fails_with_exdev() {
    let dir = common::fixture(files);
    let shm = other_file_system(dir.path());
    let err = fs::rename(dir.path().join("notes.txt"), shm.path().join("notes.txt")).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(18)); // EXDEV on Linux
    assert_eq!(err.kind(), io::ErrorKind::CrossesDevices);
    assert_eq!(ch01_shell::describe(&err), "Invalid cross-device link");
}

#[test]
fn move_path_renames_when_it_can() {
    let dir = common::fixture(files);
    let before = identity(&dir.path().join("tree"));
    let moved = move_path(&dir.path().join("tree"), &dir.path().join("moved")).unwrap();
    assert_eq!(moved, Moved::Renamed);
    assert_eq!(identity(&dir.path().join("moved")), before);
}

// ANCHOR: exdev
#[test]
fn move_with_copies_then_removes_when_rename_fails_with_exdev() {
    // One file system, and a rename that fails as it would across two.
    let dir = common::fixture(files);
    let expected = snapshot(&dir.path().join("tree"));
    let times = mtimes(&dir.path().join("tree"));
    let before = identity(&dir.path().join("tree/sub/deep.txt"));
    let exdev = |_: &Path, _: &Path| Err(io::Error::from_raw_os_error(18));
    let (source, dest) = (dir.path().join("tree"), dir.path().join("moved"));
    assert_eq!(move_with(&source, &dest, exdev).unwrap(), Moved::Copied);
    assert!(!source.exists(), "the source is gone");
    assert_eq!(snapshot(&dest), expected);
    assert_eq!(mtimes(&dest), times);
    // A copy, not a new name: a different inode.
    assert_ne!(identity(&dest.join("sub/deep.txt")), before);
}
// ANCHOR_END: exdev

#[test]
fn move_with_passes_other_rename_errors_through_and_copies_nothing() {
    let dir = common::fixture(files);
    let denied = |_: &Path, _: &Path| Err(io::Error::from_raw_os_error(13)); // EACCES
    let (source, dest) = (dir.path().join("tree"), dir.path().join("moved"));
    let err = move_with(&source, &dest, denied).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
    assert!(source.is_dir() && !dest.exists());
}

#[test]
fn mv_reports_errors_like_coreutils() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["missing", "x"],
            "mv: cannot stat 'missing': No such file or directory\n",
        ),
        (
            &["notes.txt", "nodir/x"],
            "mv: cannot move 'notes.txt' to 'nodir/x': No such file or directory\n",
        ),
        (
            &["tree", "tree/sub"],
            "mv: cannot move 'tree' to a subdirectory of itself, 'tree/sub/tree'\n",
        ),
        (
            &["notes.txt", "./notes.txt"],
            "mv: 'notes.txt' and './notes.txt' are the same file\n",
        ),
        (
            &["notes.txt", "big", "my file"],
            "mv: target 'my file': Not a directory\n",
        ),
        (
            &["notes.txt"],
            "mv: missing destination file operand after 'notes.txt'\n\
             Try 'mv --help' for more information.\n",
        ),
    ];
    for (args, message) in cases {
        let both = same_as_coreutils("mv", args, files);
        assert_eq!(both.ours.stderr_text(), message, "mv {args:?}");
        assert_eq!(both.ours.code(), Some(1));
    }
}

#[test]
fn mv_session_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shm = other_file_system(dir.path());
    let shown = session(
        dir.path(),
        &[("shm", shm.path(), "/dev/shm/tmp.demo")],
        &[
            "printf 'draft\\n' > notes.txt && mkdir archive",
            "$bin/mv -v notes.txt archive",
            "$bin/mv -v archive/notes.txt $shm",
            "$bin/ls archive $shm",
            "$bin/mv archive archive/old",
        ],
    );
    check_output!("../output/mv.txt", &shown);
}
