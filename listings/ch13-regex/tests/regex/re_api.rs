//! Python's re API and its Rust counterpart print the same lines.

use std::process::Command;

use harness::{check_output, run};

use crate::{Job, python};

pub fn python_jobs() -> Vec<Job> {
    vec![Job::script("re_api.py", "re_api.py")]
}

#[test]
fn re_api_prints_what_python_re_api_prints() {
    let rust = run(&mut Command::new(env!("CARGO_BIN_EXE_re_api")));
    rust.assert_success();
    check_output!("../../output/re_api.txt", &rust.stdout_text());
    assert_eq!(rust.stdout_text(), python("re_api.py"));
}
