use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::Command;

use harness::{check_output, run};

const PATHS: [&str; 7] = [
    "notes.txt",
    "docs",
    "missing.txt",
    "notes.txt/x",
    "dangling",
    "loop",
    "link",
];

fn make_examples(dir: &Path) {
    fs::write(dir.join("notes.txt"), "hello, file\n").unwrap();
    fs::create_dir(dir.join("docs")).unwrap();
    symlink("nowhere", dir.join("dangling")).unwrap();
    symlink("loop", dir.join("loop")).unwrap();
    symlink("notes.txt", dir.join("link")).unwrap();
}

#[test]
fn file_info_shows_where_exists_and_try_exists_differ() {
    let dir = tempfile::tempdir().unwrap();
    make_examples(dir.path());
    let out = run(Command::new(env!("CARGO_BIN_EXE_file_info"))
        .args(PATHS)
        .current_dir(dir.path()));
    out.assert_success();
    let text = out.stdout_text();
    check_output!("../output/file_info.txt", &text);
    assert!(text.contains("notes.txt/x      false    Err(ENOTDIR)"));
    assert!(text.contains("loop             false    Err(ELOOP)"));
    assert!(text.contains("dangling         false    Ok(false)"));
}

#[test]
fn exists_hides_a_permission_error_that_try_exists_reports() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("secret.txt"), "").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_file_info"))
        .arg("locked/secret.txt")
        .current_dir(dir.path()));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    out.assert_success();
    let row = out.stdout_text().lines().nth(1).unwrap().to_owned();
    if nix::unistd::geteuid().is_root() {
        // Root is exempt from permission checks: the file is found.
        assert!(row.contains("true     Ok(true)"), "{row}");
    } else {
        assert!(row.contains("false    Err(EACCES)"), "{row}");
    }
}
