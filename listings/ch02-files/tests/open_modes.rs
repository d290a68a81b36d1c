use std::process::Command;

use harness::{check_output, run};

fn table(dir: &std::path::Path) -> String {
    let out = run(Command::new(env!("CARGO_BIN_EXE_open_modes")).arg(dir));
    out.assert_success();
    out.stdout_text()
}

#[test]
fn open_modes_prints_the_table_shown_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let text = table(dir.path());
    check_output!("../output/open_modes.txt", &text);
}

/// The row of the table for `mode`.
fn row<'a>(text: &'a str, mode: &str) -> &'a str {
    text.lines()
        .find(|line| line.split_whitespace().next() == Some(mode))
        .unwrap_or_else(|| panic!("no row for mode {mode} in:\n{text}"))
}

#[test]
fn read_only_and_write_only_modes_fail_with_ebadf_from_the_kernel() {
    let dir = tempfile::tempdir().unwrap();
    let text = table(dir.path());
    // r: reading works, writing is refused and the file is untouched.
    assert_eq!(
        row(&text, "r"),
        "r     ENOENT    kept       \"0123\"   EBADF     \"0123456789\""
    );
    // w and a open write-only: reading is refused.
    assert!(row(&text, "w").contains("truncated  EBADF    2 bytes   \"ab\""));
    assert!(row(&text, "a").contains("kept       EBADF    2 bytes   \"0123456789ab\""));
}

#[test]
fn writes_land_at_the_shared_offset_except_in_append_modes() {
    let dir = tempfile::tempdir().unwrap();
    let text = table(dir.path());
    // r+ read 4 bytes, so the write lands at offset 4 and overwrites "45".
    assert!(row(&text, "r+").ends_with("\"0123ab6789\""));
    // a+ reads from the start, yet its write goes to the end.
    assert!(row(&text, "a+").contains("\"0123\"   2 bytes   \"0123456789ab\""));
    // w+ truncated: the read finds end of file at once.
    assert!(row(&text, "w+").contains("truncated  \"\"       2 bytes   \"ab\""));
}

#[test]
fn exclusive_modes_create_a_missing_file_and_refuse_an_existing_one() {
    let dir = tempfile::tempdir().unwrap();
    let text = table(dir.path());
    assert_eq!(row(&text, "x"), "x     created   EEXIST");
    assert_eq!(row(&text, "x+"), "x+    created   EEXIST");
    assert!(text.ends_with("open(2) with the O_* flags behaved the same in every mode.\n"));
}
