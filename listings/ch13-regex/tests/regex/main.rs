//! Chapter 13's tests, one module per section. One test crate, so that the
//! chapter links one test binary.
//!
//! Where the page says what Python does, a test asks `python3`. Every
//! question goes into one `python3` run, shared by all the tests: a start-up
//! of python3 costs more than most of the checks (several times more
//! through a pyenv shim), and this chapter asks Python a dozen things.

mod bench;
mod classes;
mod find_names;
mod grep;
mod py_re;
mod python;
mod re_api;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use harness::{DEADLINE, run_with};

/// A file of this chapter's package, such as `python/classes.py`.
pub fn package_file(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// One thing the tests ask Python: what a command line for `python3`
/// prints, either a script and its arguments or `-c`, code and arguments.
pub struct Job {
    name: &'static str,
    args: Vec<String>,
}

impl Job {
    /// `python3 listings/ch13-regex/python/<file>`
    pub fn script(name: &'static str, file: &str) -> Job {
        let path = package_file(&format!("python/{file}"));
        let args = vec![path.to_str().expect("a UTF-8 path").to_owned()];
        Job { name, args }
    }

    /// `python3 -c CODE ARGS...`
    pub fn code(name: &'static str, code: &str, args: Vec<String>) -> Job {
        let mut all = vec!["-c".to_owned(), code.to_owned()];
        all.extend(args);
        Job { name, args: all }
    }
}

/// Every job of every module: the one list the batch runs.
fn all_jobs() -> Vec<Job> {
    let versions = "import sys, unicodedata\nprint(*sys.version_info[:2], unicodedata.unidata_version)";
    [
        vec![Job::code("versions", versions, Vec::new())],
        classes::python_jobs(),
        py_re::python_jobs(),
        python::python_jobs(),
        re_api::python_jobs(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Runs each job as `python3` would run its command line (`sys.argv` set
/// the same way, `__name__` is `"__main__"`), capturing what it prints.
/// Each job starts with an empty pattern cache (a cached pattern would not
/// warn again) and with the warning filters as they were. Jobs arrive on
/// stdin, separated by RS (0x1e), their fields by US (0x1f); each answer is
/// RS, the name, `True` or `False`, a newline, and the output.
const DRIVER: &str = r#"import contextlib, io, re, runpy, sys, traceback, warnings
for job in sys.stdin.read().split("\x1e"):
    name, *argv = job.split("\x1f")
    out = io.StringIO()
    ok = True
    re.purge()
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            if argv[0] == "-c":
                sys.argv = ["-c", *argv[2:]]
                exec(compile(argv[1], "<" + name + ">", "exec"), {"__name__": "__main__"})
            else:
                sys.argv = argv
                runpy.run_path(argv[0], run_name="__main__")
    except SystemExit as exit:
        ok = exit.code in (None, 0)
    except BaseException:
        ok = False
        out.write(traceback.format_exc())
    sys.stdout.write(f"\x1e{name} {ok}\n{out.getvalue()}")
"#;

/// The output of every job, from one `python3` run.
fn batch() -> &'static HashMap<String, Result<String, String>> {
    static RESULTS: OnceLock<HashMap<String, Result<String, String>>> =
        OnceLock::new();
    RESULTS.get_or_init(|| {
        let jobs = all_jobs();
        let input: Vec<String> = jobs
            .iter()
            .map(|job| format!("{}\x1f{}", job.name, job.args.join("\x1f")))
            .collect();
        let out = run_with(
            Command::new("python3")
                .args(["-c", DRIVER])
                .env("PYTHONIOENCODING", "utf-8"),
            input.join("\x1e").as_bytes(),
            DEADLINE,
        );
        out.assert_success();
        let results: HashMap<String, Result<String, String>> = out
            .stdout_text()
            .split('\x1e')
            .skip(1)
            .map(|answer| {
                let (head, text) = answer.split_once('\n').unwrap();
                let (name, ok) = head.rsplit_once(' ').unwrap();
                let text = text.to_owned();
                let result = if ok == "True" { Ok(text) } else { Err(text) };
                (name.to_owned(), result)
            })
            .collect();
        assert_eq!(results.len(), jobs.len(), "job names must be unique");
        results
    })
}

/// What job `name` printed; panics with Python's traceback if it failed.
#[track_caller]
pub fn python(name: &str) -> String {
    match batch().get(name) {
        Some(Ok(text)) => text.clone(),
        Some(Err(text)) => panic!("python3 job {name:?} failed:\n{text}"),
        None => panic!(
            "no python3 job {name:?}: add it to the module's python_jobs()"
        ),
    }
}

/// Python's (major, minor) version and its Unicode database version. The
/// book's outputs come from Python 3.11, whose `re` knows Unicode 14.0.0.
pub fn python_versions() -> ((u32, u32), String) {
    let out = python("versions");
    let parts: Vec<&str> = out.split_whitespace().collect();
    let number = |i: usize| parts[i].parse::<u32>().expect("a version number");
    ((number(0), number(1)), parts[2].to_owned())
}
