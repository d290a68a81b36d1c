use std::process::Command;

use harness::{Normalizer, check_output, run};

#[test]
fn pwd_prints_the_directory_it_runs_in() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("systems-io-in-rust");
    std::fs::create_dir(&book).unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_pwd")).current_dir(&book));
    out.assert_success();
    let shown = Normalizer::new()
        .path(tmp.path(), "/home/you")
        .apply(&out.stdout_text());
    check_output!("../output/pwd.txt", &shown);
}

#[test]
fn pwd_agrees_with_coreutils_pwd_physical() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let ours = run(Command::new(env!("CARGO_BIN_EXE_pwd")).current_dir(&link));
    let theirs = run(Command::new("pwd").arg("-P").current_dir(&link));
    ours.assert_success();
    theirs.assert_success();
    assert_eq!(ours.stdout, theirs.stdout);
    assert!(ours.stdout_text().trim_end().ends_with("/real"));
}
