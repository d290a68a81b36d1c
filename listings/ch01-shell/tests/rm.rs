mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use common::{same_as_coreutils, session, snapshot};
use harness::check_output;

fn files(dir: &Path) {
    fs::write(dir.join("notes.txt"), "draft\n").unwrap();
    fs::write(dir.join("my file"), "").unwrap();
    fs::create_dir(dir.join("empty")).unwrap();
    fs::create_dir_all(dir.join("old/logs/deeper")).unwrap();
    fs::write(dir.join("old/logs/a.log"), "a").unwrap();
    fs::write(dir.join("old/logs/deeper/b.log"), "b").unwrap();
    fs::create_dir(dir.join("keep")).unwrap();
    fs::write(dir.join("keep/precious"), "do not lose me").unwrap();
    symlink("keep", dir.join("keep-link")).unwrap();
    // A link inside the tree to a directory outside it.
    symlink("../../keep", dir.join("old/logs/outside")).unwrap();
}

#[test]
fn rm_removes_files_like_coreutils() {
    let both = same_as_coreutils("rm", &["notes.txt", "my file"], files);
    assert!(!both.our_dir.path().join("notes.txt").exists());
    assert!(!both.our_dir.path().join("my file").exists());
    assert_eq!(both.ours.code(), Some(0));
}

#[test]
fn rm_without_r_refuses_a_directory_even_an_empty_one() {
    for dir in ["old", "empty"] {
        let both = same_as_coreutils("rm", &[dir], files);
        assert_eq!(
            both.ours.stderr_text(),
            format!("rm: cannot remove '{dir}': Is a directory\n")
        );
        assert_eq!(both.ours.code(), Some(1));
        assert!(both.our_dir.path().join(dir).is_dir());
    }
}

#[test]
fn rm_r_removes_a_whole_tree_but_not_what_its_links_point_to() {
    let both = same_as_coreutils("rm", &["-r", "old"], files);
    let dir = both.our_dir.path();
    assert!(!dir.join("old").exists());
    assert_eq!(
        fs::read(dir.join("keep/precious")).unwrap(),
        b"do not lose me"
    );
}

#[test]
fn rm_removes_a_link_to_a_directory_not_the_directory() {
    for args in [&["keep-link"][..], &["-r", "keep-link"]] {
        let both = same_as_coreutils("rm", args, files);
        let dir = both.our_dir.path();
        assert!(fs::symlink_metadata(dir.join("keep-link")).is_err());
        assert!(dir.join("keep/precious").is_file());
    }
}

#[test]
fn rm_reports_a_missing_file_and_goes_on() {
    let both = same_as_coreutils("rm", &["missing", "notes.txt"], files);
    assert_eq!(
        both.ours.stderr_text(),
        "rm: cannot remove 'missing': No such file or directory\n"
    );
    assert_eq!(both.ours.code(), Some(1));
    assert!(!both.our_dir.path().join("notes.txt").exists());
}

#[test]
fn rm_f_is_silent_about_missing_files() {
    for args in [&["-f", "missing"][..], &["-rf", "missing", "old"], &["-f"]] {
        let both = same_as_coreutils("rm", args, files);
        assert_eq!(both.ours.stderr_text(), "");
        assert_eq!(both.ours.code(), Some(0));
    }
}

#[test]
fn rm_r_refuses_dot_and_dotdot() {
    for path in [".", "..", "./", "old/..", "old/logs/."] {
        let both = same_as_coreutils("rm", &["-r", path], files);
        assert_eq!(
            both.ours.stderr_text(),
            format!("rm: refusing to remove '.' or '..' directory: skipping '{path}'\n")
        );
        assert_eq!(
            snapshot(both.our_dir.path()),
            snapshot(common::fixture(files).path())
        );
    }
}

#[test]
fn rm_without_operands_is_a_usage_error() {
    let both = same_as_coreutils("rm", &[] as &[&str], files);
    assert_eq!(
        both.ours.stderr_text(),
        "rm: missing operand\nTry 'rm --help' for more information.\n"
    );
    assert_eq!(both.ours.code(), Some(1));
}

#[test]
fn rm_session_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shown = session(
        dir.path(),
        &[],
        &[
            "mkdir -p old/logs && touch old/logs/a.log notes.txt",
            "$bin/rm old",
            "$bin/rm -r old notes.txt",
            "$bin/rm notes.txt",
            "$bin/rm -f notes.txt; echo $?",
            "$bin/rm -r .",
        ],
    );
    check_output!("../output/rm.txt", &shown);
}
