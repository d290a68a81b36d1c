//! Chapter 13's tests, one module per section. One test crate, so that the
//! chapter links one test binary.

mod bench;
mod classes;
mod find_names;
mod grep;
mod py_re;
mod python;
mod re_api;

use std::path::PathBuf;
use std::process::Command;

use harness::{Output, run_with};

/// Runs `python3 -c CODE ARGS…`, feeding it `stdin`.
pub fn python(code: &str, args: &[&str], stdin: &[u8]) -> Output {
    let out = run_with(
        Command::new("python3").arg("-c").arg(code).args(args),
        stdin,
        harness::DEADLINE,
    );
    assert!(
        out.status.success(),
        "python3 failed: {}",
        out.stderr_text()
    );
    out
}

/// A file of this chapter's package, such as `python/classes.py`.
pub fn package_file(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Python's (major, minor) version and its Unicode database version. The
/// book's outputs come from Python 3.11, whose `re` knows Unicode 14.0.0.
pub fn python_versions() -> ((u32, u32), String) {
    let code = "import sys, unicodedata; print(*sys.version_info[:2], unicodedata.unidata_version)";
    let out = python(code, &[], b"").stdout_text();
    let parts: Vec<&str> = out.split_whitespace().collect();
    let number = |i: usize| parts[i].parse::<u32>().expect("a version number");
    ((number(0), number(1)), parts[2].to_owned())
}
