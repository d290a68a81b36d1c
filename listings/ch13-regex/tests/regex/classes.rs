//! What `\d`, `\w`, `\s` and `\b` match, in Rust and in Python.

use std::process::Command;

use harness::{check_output, run};

use crate::{Job, python, python_versions};

pub fn python_jobs() -> Vec<Job> {
    vec![Job::script("classes.py", "classes.py")]
}

#[test]
fn classes_prints_what_rusts_classes_match() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_classes")));
    out.assert_success();
    check_output!("../../output/classes.txt", &out.stdout_text());
}

#[test]
fn pythons_classes_differ_on_numbers_marks_connectors_and_separators() {
    let python = python("classes.py");
    let (_, unicode) = python_versions();
    if unicode == "14.0.0" {
        check_output!("../../output/classes_python.txt", &python);
    } else {
        eprintln!(
            "note: this Python knows Unicode {unicode}, the book shows 14.0.0's output"
        );
    }
    let rust =
        run(&mut Command::new(env!("CARGO_BIN_EXE_classes"))).stdout_text();
    // The characters on which the two disagree, by code point.
    let differing: Vec<&str> = rust
        .lines()
        .zip(python.lines())
        .filter(|(r, p)| r != p)
        .map(|(r, _)| r.split_whitespace().next().unwrap())
        .collect();
    // Kawi digits arrived in Unicode 15.0; a Python that knows it agrees.
    let mut expected = vec![
        "U+00B2", "U+00BD", "U+0301", "U+203F", "U+200D", "U+001C", "\\b",
    ];
    if unicode.as_str() < "15" {
        expected.insert(0, "U+11F53");
    }
    assert_eq!(differing, expected, "rust:\n{rust}\npython:\n{python}");
}
