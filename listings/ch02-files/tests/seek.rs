use std::fs;
use std::process::Command;

use harness::{check_output, run};

#[test]
fn seek_moves_one_offset_shared_by_reads_and_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_seek")).arg(dir.path()));
    out.assert_success();
    check_output!("../output/seek.txt", &out.stdout_text());
    // The append-mode write went to the end despite seek(Start(0)).
    let text = fs::read_to_string(dir.path().join("offset.txt")).unwrap();
    assert_eq!(text, "hello!!WORLD!");
}
