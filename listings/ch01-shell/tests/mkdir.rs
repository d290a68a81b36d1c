mod common;

use std::fs;
use std::path::Path;

use common::{same_as_coreutils, session};
use harness::check_output;

fn files(dir: &Path) {
    fs::write(dir.join("notes.txt"), "draft\n").unwrap();
    fs::create_dir(dir.join("src")).unwrap();
}

#[test]
fn mkdir_creates_a_directory_with_the_umask_applied() {
    let both = same_as_coreutils("mkdir", &["new", "my dir"], files);
    assert!(both.our_dir.path().join("my dir").is_dir());
    assert_eq!(both.ours.code(), Some(0));
}

#[test]
fn mkdir_fails_with_file_exists_when_the_path_exists() {
    for existing in ["src", "notes.txt"] {
        let both = same_as_coreutils("mkdir", &[existing], files);
        assert_eq!(
            both.ours.stderr_text(),
            format!("mkdir: cannot create directory '{existing}': File exists\n")
        );
        assert_eq!(both.ours.code(), Some(1));
    }
}

#[test]
fn mkdir_without_p_fails_when_a_parent_is_missing() {
    let both = same_as_coreutils("mkdir", &["a/b/c"], files);
    assert_eq!(
        both.ours.stderr_text(),
        "mkdir: cannot create directory 'a/b/c': No such file or directory\n"
    );
    assert!(!both.our_dir.path().join("a").exists());
}

#[test]
fn mkdir_p_creates_every_missing_parent() {
    let both = same_as_coreutils("mkdir", &["-p", "a/b/c", "src/x/y"], files);
    assert!(both.our_dir.path().join("a/b/c").is_dir());
    assert!(both.our_dir.path().join("src/x/y").is_dir());
}

#[test]
fn mkdir_p_succeeds_when_the_directory_exists() {
    let both = same_as_coreutils("mkdir", &["-p", "src", "src/", "."], files);
    assert_eq!(both.ours.stderr_text(), "");
    assert_eq!(both.ours.code(), Some(0));
}

#[test]
fn mkdir_p_still_fails_when_the_path_is_a_file() {
    let both = same_as_coreutils("mkdir", &["-p", "notes.txt"], files);
    assert_eq!(
        both.ours.stderr_text(),
        "mkdir: cannot create directory 'notes.txt': File exists\n"
    );
}

#[test]
fn mkdir_p_names_the_whole_path_where_coreutils_names_the_component() {
    // A file in the way of a parent: create_dir_all's error is about the
    // whole path; coreutils, which walks the components, names the one
    // that failed.
    let dir = common::fixture(files);
    let ours = harness::run(
        common::ours("mkdir")
            .args(["-p", "notes.txt/sub"])
            .current_dir(dir.path()),
    );
    let theirs = harness::run(
        common::coreutils("mkdir")
            .args(["-p", "notes.txt/sub"])
            .current_dir(dir.path()),
    );
    assert_eq!(
        ours.stderr_text(),
        "mkdir: cannot create directory 'notes.txt/sub': Not a directory\n"
    );
    assert_eq!(
        theirs.stderr_text(),
        "mkdir: cannot create directory 'notes.txt': Not a directory\n"
    );
    assert_eq!(ours.code(), theirs.code());
}

#[test]
fn mkdir_session_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shown = session(
        dir.path(),
        &[],
        &[
            "$bin/mkdir src",
            "$bin/mkdir src",
            "$bin/mkdir -p src",
            "$bin/mkdir a/b/c",
            "$bin/mkdir -p a/b/c && find a",
        ],
    );
    check_output!("../output/mkdir.txt", &shown);
}
