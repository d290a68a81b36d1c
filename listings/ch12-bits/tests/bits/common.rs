//! Helpers shared by this chapter's tests.

use std::process::Command;

use harness::{Output, run};

/// The path of one of this chapter's listings.
#[macro_export]
macro_rules! bin {
    ($name:literal) => {
        env!(concat!("CARGO_BIN_EXE_", $name))
    };
}

/// Runs a listing with `args` and returns what it did.
pub fn listing(path: &str, args: &[&str]) -> Output {
    run(Command::new(path).args(args).env_remove("RUST_BACKTRACE"))
}

/// Runs a listing that must succeed and returns its standard output.
#[track_caller]
pub fn stdout_of(path: &str, args: &[&str]) -> String {
    let out = listing(path, args);
    out.assert_success();
    out.stdout_text()
}

/// The path of a script in `listings/ch12-bits/python/`.
pub fn script(name: &str) -> String {
    format!("{}/python/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `python3` with `args` (a script, or `-c` and code) and returns its
/// standard output; panics with its stderr if it fails.
#[track_caller]
pub fn python(args: &[&str]) -> String {
    let out = run(Command::new("python3").args(args));
    out.assert_success();
    out.stdout_text()
}

/// Evaluates each Python expression and returns its `repr`, one per item.
#[track_caller]
pub fn python_eval(imports: &str, expressions: &[&str]) -> Vec<String> {
    let code = format!(
        "{imports}\nimport sys\nfor e in sys.argv[1:]:\n    try:\n        print(repr(eval(e)))\n    except Exception as err:\n        print(type(err).__name__ + ': ' + str(err))"
    );
    let mut args = vec!["-c", code.as_str()];
    args.extend_from_slice(expressions);
    python(&args).lines().map(str::to_owned).collect()
}
