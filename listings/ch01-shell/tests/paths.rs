mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use common::{ours, session};
use harness::{check_output, run};

/// `releases/v2`, a link `latest` to it, and `notes.txt`.
fn releases(dir: &Path) {
    fs::create_dir_all(dir.join("releases/v2")).unwrap();
    symlink("releases/v2", dir.join("latest")).unwrap();
    fs::write(dir.join("notes.txt"), "").unwrap();
}

#[test]
fn paths_session_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shown = session(
        dir.path(),
        &[],
        &[
            "mkdir -p releases/v2 && ln -s releases/v2 latest && touch notes.txt",
            "$bin/paths notes.txt ./releases/../notes.txt latest/.. nowhere/..",
        ],
    );
    check_output!("../output/paths.txt", &shown);
}

#[test]
fn canonicalize_agrees_with_realpath() {
    let dir = common::fixture(releases);
    for path in [
        "notes.txt",
        "./releases/../notes.txt",
        "latest/..",
        "latest/",
        ".",
    ] {
        let ours = run(ours("paths").arg(path).current_dir(dir.path()));
        let theirs = run(common::coreutils("realpath")
            .args(["-e", path])
            .current_dir(dir.path()));
        let canonical = ours
            .stdout_text()
            .lines()
            .find_map(|line| line.strip_prefix("  fs::canonicalize  ").map(str::to_owned))
            .unwrap();
        assert_eq!(format!("{canonical}\n"), theirs.stdout_text(), "{path}");
    }
}

#[test]
fn dotdot_after_a_symlink_leads_where_the_link_points_not_back() {
    let dir = common::fixture(releases);
    let out = run(ours("paths").arg("latest/..").current_dir(dir.path()));
    let canonical = fs::canonicalize(dir.path()).unwrap().join("releases");
    assert!(
        out.stdout_text()
            .contains(&format!("fs::canonicalize  {}\n", canonical.display()))
    );
}

#[test]
fn canonicalize_fails_for_a_missing_component_even_before_dotdot() {
    let dir = common::fixture(releases);
    let out = run(ours("paths").arg("nowhere/..").current_dir(dir.path()));
    assert!(
        out.stdout_text()
            .contains("fs::canonicalize  error: No such file or directory\n")
    );
}

#[test]
fn cd_session_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shown = session(
        dir.path(),
        &[],
        &[
            "mkdir docs",
            "pwd",
            "$bin/cd docs",
            "pwd",
            "type cd",
            "cd docs",
            "pwd",
        ],
    );
    check_output!("../output/cd.txt", &shown);
}

#[test]
fn cd_session_with_a_child_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shown = session(
        dir.path(),
        &[],
        &[
            "mkdir -p releases/v2 && ln -s releases/v2 latest",
            "$bin/cd latest/.. pwd",
            "(cd latest/.. && pwd)",
            "(cd -P latest/.. && pwd)",
        ],
    );
    check_output!("../output/cd-child.txt", &shown);
}

#[test]
fn cd_into_a_missing_directory_fails_like_a_shell() {
    let dir = common::fixture(releases);
    let out = run(ours("cd").arg("nowhere").current_dir(dir.path()));
    assert_eq!(
        out.stderr_text(),
        "cd: nowhere: No such file or directory\n"
    );
    assert_eq!(out.code(), Some(1));
}

#[test]
fn cd_passes_the_exit_status_of_its_command_on() {
    let dir = common::fixture(releases);
    let out = run(ours("cd")
        .args(["releases", "sh", "-c", "exit 7"])
        .current_dir(dir.path()));
    assert_eq!(out.code(), Some(7));
}

#[test]
fn pwd_in_a_deleted_directory_session_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let shown = session(
        dir.path(),
        &[],
        &[
            "mkdir gone && cd gone && rmdir ../gone",
            "pwd",
            "$bin/pwd",
            "echo $?",
            "$bin/touch new.txt",
        ],
    );
    check_output!("../output/pwd-deleted.txt", &shown);
}
