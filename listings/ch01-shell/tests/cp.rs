mod common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use common::{
    bin_dir, binary, mtimes, same_as_coreutils, same_output_as_coreutils, session, snapshot,
};
use harness::{check_output, run};

fn files(dir: &Path) {
    fs::write(dir.join("notes.txt"), "draft\n").unwrap();
    fs::write(dir.join("empty"), "").unwrap();
    fs::write(dir.join("big"), binary(2 * 1024 * 1024 + 7)).unwrap();
    fs::write(dir.join("script.sh"), "#!/bin/sh\necho hi\n").unwrap();
    fs::set_permissions(dir.join("script.sh"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(dir.join("my file"), "spaces\n").unwrap();
    fs::create_dir(dir.join("backup")).unwrap();
    fs::create_dir_all(dir.join("tree/sub")).unwrap();
    fs::write(dir.join("tree/sub/deep.txt"), "deep\n").unwrap();
    fs::write(dir.join("tree/top.bin"), binary(10_000)).unwrap();
    symlink("sub/deep.txt", dir.join("tree/link")).unwrap();
    symlink("tree", dir.join("tree-link")).unwrap();
}

#[test]
fn cp_copies_bytes_and_permission_bits_like_coreutils() {
    for (source, dest) in [
        ("big", "big2"),
        ("empty", "empty2"),
        ("script.sh", "run.sh"),
    ] {
        let both = same_as_coreutils("cp", &[source, dest], files);
        let dir = both.our_dir.path();
        assert_eq!(
            fs::read(dir.join(source)).unwrap(),
            fs::read(dir.join(dest)).unwrap()
        );
    }
    let both = same_as_coreutils("cp", &["script.sh", "run.sh"], files);
    let mode = fs::metadata(both.our_dir.path().join("run.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
}

#[test]
fn cp_overwrites_an_existing_file() {
    let both = same_as_coreutils("cp", &["notes.txt", "empty"], files);
    assert_eq!(
        fs::read(both.our_dir.path().join("empty")).unwrap(),
        b"draft\n"
    );
}

#[test]
fn cp_into_a_directory_keeps_each_name() {
    let both = same_as_coreutils("cp", &["notes.txt", "backup"], files);
    assert!(both.our_dir.path().join("backup/notes.txt").is_file());
    let both = same_as_coreutils("cp", &["notes.txt", "my file", "big", "backup/"], files);
    let names: Vec<_> = fs::read_dir(both.our_dir.path().join("backup"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 3);
}

#[test]
fn cp_follows_a_symbolic_link_without_r() {
    let both = same_as_coreutils("cp", &["tree/link", "copy"], files);
    let copy = both.our_dir.path().join("copy");
    assert!(!fs::symlink_metadata(&copy).unwrap().is_symlink());
    assert_eq!(fs::read(copy).unwrap(), b"deep\n");
}

#[test]
fn cp_refuses_a_directory_without_r() {
    let both = same_as_coreutils("cp", &["tree", "elsewhere"], files);
    assert_eq!(
        both.ours.stderr_text(),
        "cp: -r not specified; omitting directory 'tree'\n"
    );
    assert_eq!(both.ours.code(), Some(1));
}

#[test]
fn cp_r_copies_a_tree_like_cp_r_preserving_mode_and_timestamps() {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let dir = common::fixture(files);
    // Old times everywhere, so that a copy that forgot them stands out.
    for path in ["tree/sub/deep.txt", "tree/top.bin", "tree/sub", "tree"] {
        let file = fs::File::open(dir.path().join(path)).unwrap();
        file.set_modified(old).unwrap();
    }
    run(common::ours("cp")
        .args(["-r", "tree", "ours"])
        .current_dir(dir.path()))
    .assert_success();
    run(common::coreutils("cp")
        .args(["-r", "--preserve=mode,timestamps", "tree", "theirs"])
        .current_dir(dir.path()))
    .assert_success();
    let (ours, theirs) = (dir.path().join("ours"), dir.path().join("theirs"));
    assert_eq!(snapshot(&ours), snapshot(&theirs));
    assert_eq!(snapshot(&ours), snapshot(&dir.path().join("tree")));
    assert_eq!(mtimes(&ours), mtimes(&theirs));
    assert!(
        fs::symlink_metadata(ours.join("link"))
            .unwrap()
            .is_symlink()
    );
    assert_eq!(
        fs::metadata(ours.join("top.bin"))
            .unwrap()
            .modified()
            .unwrap(),
        old
    );
}

#[test]
fn cp_r_copies_a_symbolic_link_as_a_link() {
    let both = same_as_coreutils("cp", &["-r", "tree-link", "copy"], files);
    let copy = both.our_dir.path().join("copy");
    assert_eq!(fs::read_link(copy).unwrap(), Path::new("tree"));
}

#[test]
fn cp_r_refuses_to_copy_a_directory_into_itself() {
    // coreutils copies part of the tree before it notices; ours refuses
    // up front and leaves the tree alone.
    let both = same_output_as_coreutils("cp", &["-r", "tree", "tree/sub"], files);
    assert_eq!(
        both.ours.stderr_text(),
        "cp: cannot copy a directory, 'tree', into itself, 'tree/sub/tree'\n"
    );
    let untouched = common::fixture(files);
    assert_eq!(snapshot(both.our_dir.path()), snapshot(untouched.path()));
}

#[test]
fn cp_refuses_to_copy_a_file_onto_itself() {
    let both = same_as_coreutils("cp", &["notes.txt", "./notes.txt"], files);
    assert_eq!(
        both.ours.stderr_text(),
        "cp: 'notes.txt' and './notes.txt' are the same file\n"
    );
    assert_eq!(
        fs::read(both.our_dir.path().join("notes.txt")).unwrap(),
        b"draft\n"
    );
}

#[test]
fn fs_copy_of_a_file_onto_itself_empties_it() {
    let dir = common::fixture(files);
    let notes = dir.path().join("notes.txt");
    // It opens the destination with O_TRUNC before reading the source.
    let copied = fs::copy(&notes, &notes).unwrap();
    assert_eq!(copied, 0);
    assert_eq!(fs::read(&notes).unwrap(), b"");
}

#[test]
fn cp_reports_errors_like_coreutils() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["missing", "x"],
            "cp: cannot stat 'missing': No such file or directory\n",
        ),
        (
            &["notes.txt", "nodir/x"],
            "cp: cannot create regular file 'nodir/x': No such file or directory\n",
        ),
        (
            &["notes.txt", "big", "empty"],
            "cp: target 'empty': Not a directory\n",
        ),
        (
            &["notes.txt", "big", "nodir"],
            "cp: target 'nodir': No such file or directory\n",
        ),
        (
            &[],
            "cp: missing file operand\nTry 'cp --help' for more information.\n",
        ),
        (
            &["notes.txt"],
            "cp: missing destination file operand after 'notes.txt'\n\
             Try 'cp --help' for more information.\n",
        ),
    ];
    for (args, message) in cases {
        let both = same_as_coreutils("cp", args, files);
        assert_eq!(both.ours.stderr_text(), message, "cp {args:?}");
        assert_eq!(both.ours.code(), Some(1));
    }
}

#[test]
fn fs_copy_keeps_mode_bits_the_umask_would_clear() {
    let dir = common::fixture(files);
    fs::set_permissions(
        dir.path().join("notes.txt"),
        fs::Permissions::from_mode(0o666),
    )
    .unwrap();
    let with_umask = |cp: &Path, dest: &str| {
        run(Command::new("sh")
            .args(["-c", r#"umask 022 && exec "$0" notes.txt "$1""#])
            .arg(cp)
            .arg(dest)
            .current_dir(dir.path()))
        .assert_success();
        fs::metadata(dir.path().join(dest))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(with_umask(&bin_dir().join("cp"), "ours"), 0o666);
    assert_eq!(with_umask(Path::new("cp"), "theirs"), 0o644);
}

#[test]
fn cp_session_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shown = session(
        dir.path(),
        &[],
        &[
            "printf 'draft\\n' > notes.txt && mkdir backup",
            "$bin/cp notes.txt copy.txt",
            "$bin/cp notes.txt copy.txt backup",
            "$bin/ls backup",
            "$bin/cp backup elsewhere",
            "$bin/cp notes.txt ./notes.txt",
            "$bin/cp -r backup elsewhere && $bin/ls elsewhere",
        ],
    );
    check_output!("../output/cp.txt", &shown);
}
