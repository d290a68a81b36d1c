use std::process::Command;

use harness::{check_output, run};

#[test]
fn odd_names_lists_a_latin1_name_that_to_str_cannot_convert() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_odd_names")).arg(dir.path()));
    out.assert_success();
    let text = out.stdout_text();
    check_output!("../output/odd_names.txt", &text);

    // Two files really exist, and only one name is valid UTF-8.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2);
    assert_eq!(
        names.iter().filter(|name| name.to_str().is_some()).count(),
        1
    );
    assert!(text.contains("to_str: None"));
    assert!(text.contains("caf\u{FFFD}.txt"));
}
