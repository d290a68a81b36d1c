//! Helpers shared by this chapter's tests.

use std::collections::HashMap;
use std::process::Command;
use std::sync::OnceLock;

use harness::{DEADLINE, Output, run, run_with};

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

/// One thing the tests ask Python: a command line for `python3`, either a
/// script and its arguments or `-c`, code and arguments.
pub struct Job {
    name: &'static str,
    args: Vec<String>,
}

impl Job {
    /// `python3 listings/ch12-bits/python/<file> ARGS...`
    pub fn script(name: &'static str, file: &str, args: &[&str]) -> Job {
        let mut all = vec![script(file)];
        all.extend(args.iter().map(|arg| arg.to_string()));
        Job { name, args: all }
    }

    /// `python3 -c CODE ARGS...`
    pub fn code(name: &'static str, code: &str, args: &[&str]) -> Job {
        let mut all = vec!["-c".to_owned(), code.to_owned()];
        all.extend(args.iter().map(|arg| arg.to_string()));
        Job { name, args: all }
    }

    /// Runs `imports`, then prints the `repr` of each expression, or the
    /// exception it raises (`ValueError: ...`), one line each.
    pub fn eval(name: &'static str, imports: &str, expressions: &[&str]) -> Job {
        let code = format!(
            "{imports}\nimport sys\nfor e in sys.argv[1:]:\n    try:\n        print(repr(eval(e)))\n    except Exception as err:\n        print(type(err).__name__ + ': ' + str(err))"
        );
        Job::code(name, &code, expressions)
    }
}

/// Every job of every module: the one list the batch runs.
fn all_jobs() -> Vec<Job> {
    [
        crate::bases::python_jobs(),
        crate::flags::python_jobs(),
        crate::mode::python_jobs(),
        crate::netcalc::python_jobs(),
        crate::oflag::python_jobs(),
        crate::operators::python_jobs(),
        crate::poll::python_jobs(),
        crate::python::python_jobs(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Runs each job as `python3` would run its command line (`sys.argv` set
/// the same way, `__name__` is `"__main__"`), capturing what it prints.
/// Jobs arrive on stdin, separated by RS (0x1e), their fields by US (0x1f);
/// each answer is RS, the name, `True` or `False`, a newline, the output.
const DRIVER: &str = r#"import contextlib, io, runpy, sys, traceback
for job in sys.stdin.read().split("\x1e"):
    name, *argv = job.split("\x1f")
    out = io.StringIO()
    ok = True
    try:
        with contextlib.redirect_stdout(out):
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

/// The output of every job, from one `python3` run: each start-up of
/// python3 costs more than all the checks together (several times more
/// through a pyenv shim), so the tests share one.
fn batch() -> &'static HashMap<String, Result<String, String>> {
    static RESULTS: OnceLock<HashMap<String, Result<String, String>>> = OnceLock::new();
    RESULTS.get_or_init(|| {
        let jobs = all_jobs();
        let input: Vec<String> = jobs
            .iter()
            .map(|job| format!("{}\x1f{}", job.name, job.args.join("\x1f")))
            .collect();
        let out = run_with(
            Command::new("python3").args(["-c", DRIVER]),
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
        None => panic!("no python3 job {name:?}: add it to the module's python_jobs()"),
    }
}

/// The lines job `name` printed (e.g. a [`Job::eval`]'s results).
#[track_caller]
pub fn python_lines(name: &str) -> Vec<String> {
    python(name).lines().map(str::to_owned).collect()
}
