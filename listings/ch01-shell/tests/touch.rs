mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{ours, same_as_coreutils, session};
use harness::{check_output, run};

fn files(dir: &Path) {
    fs::write(dir.join("notes.txt"), "keep me\n").unwrap();
    fs::create_dir(dir.join("docs")).unwrap();
}

/// 2000-01-01 00:00:00 UTC.
fn long_ago() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(946_684_800)
}

#[test]
fn touch_creates_an_empty_file_like_coreutils() {
    let both = same_as_coreutils("touch", &["new.txt", "my file"], files);
    assert_eq!(fs::read(both.our_dir.path().join("new.txt")).unwrap(), b"");
    assert_eq!(both.ours.code(), Some(0));
}

#[test]
fn touch_keeps_the_contents_and_sets_both_times_to_now() {
    let dir = common::fixture(files);
    let notes = dir.path().join("notes.txt");
    let file = fs::File::options().write(true).open(&notes).unwrap();
    file.set_times(
        fs::FileTimes::new()
            .set_accessed(long_ago())
            .set_modified(long_ago()),
    )
    .unwrap();
    let started = SystemTime::now() - Duration::from_secs(2); // clock granularity
    run(ours("touch").arg("notes.txt").current_dir(dir.path())).assert_success();
    let meta = fs::metadata(&notes).unwrap();
    assert_eq!(fs::read(&notes).unwrap(), b"keep me\n");
    assert!(meta.modified().unwrap() > started);
    assert!(meta.accessed().unwrap() > started);
}

#[test]
fn touch_sets_the_times_of_a_directory() {
    let dir = common::fixture(files);
    let docs = dir.path().join("docs");
    fs::File::open(&docs)
        .unwrap()
        .set_modified(long_ago())
        .unwrap();
    let both = same_as_coreutils("touch", &["docs"], files);
    assert_eq!(both.ours.code(), Some(0));
    run(ours("touch").arg("docs").current_dir(dir.path())).assert_success();
    assert!(fs::metadata(&docs).unwrap().modified().unwrap() > long_ago());
}

#[test]
fn touch_sets_the_times_of_a_read_only_file_it_owns() {
    // As a user, opening a 0444 file for writing fails with EACCES and
    // touch falls back to a read-only descriptor. (Root may write anyway.)
    let read_only = |dir: &Path| {
        files(dir);
        let locked = dir.join("locked");
        fs::write(&locked, "keep me\n").unwrap();
        fs::File::open(&locked)
            .unwrap()
            .set_modified(long_ago())
            .unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o444)).unwrap();
    };
    let both = same_as_coreutils("touch", &["locked"], read_only);
    assert_eq!(both.ours.stderr_text(), "");
    let locked = both.our_dir.path().join("locked");
    assert!(fs::metadata(&locked).unwrap().modified().unwrap() > long_ago());
    assert_eq!(fs::read(&locked).unwrap(), b"keep me\n");
}

#[test]
fn touch_reports_a_missing_directory_like_coreutils() {
    let both = same_as_coreutils("touch", &["nodir/x", "ok"], files);
    assert_eq!(
        both.ours.stderr_text(),
        "touch: cannot touch 'nodir/x': No such file or directory\n"
    );
    assert_eq!(both.ours.code(), Some(1));
    assert!(
        both.our_dir.path().join("ok").is_file(),
        "went on after the error"
    );
}

#[test]
fn touch_without_operands_is_a_usage_error() {
    let both = same_as_coreutils("touch", &[] as &[&str], files);
    assert_eq!(
        both.ours.stderr_text(),
        "touch: missing file operand\nTry 'touch --help' for more information.\n"
    );
}

#[test]
fn touch_session_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shown = session(
        dir.path(),
        &[],
        &[
            "printf 'keep me\\n' > old.txt && touch -d '2000-01-01 00:00' old.txt",
            "stat -c '%n %s bytes, modified %y' old.txt",
            "$bin/touch old.txt new.txt",
            "stat -c '%n %s bytes, modified %y' old.txt new.txt",
            "cat old.txt",
        ],
    );
    // The time of the run changes with every run; the book shows one.
    let shown = harness::Normalizer::new()
        .replace(
            r"modified 20[1-9]\d-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000",
            "modified 2025-06-01 09:30:12.345678901 +0000",
        )
        .apply(&shown);
    check_output!("../output/touch.txt", &shown);
}
