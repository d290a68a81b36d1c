//! `cargo xtask exercise`: check a reader's exercise solutions.
//!
//! Each chapter's exercises live in a package `exercises/chNN-topic/`:
//!
//! - `src/…` holds the starters, the files a reader edits. They compile,
//!   with `todo!()` where the reader's code goes.
//! - `solutions/…` holds the reference solutions.
//! - `tests/exercises/exN_M.rs` holds exercise N.M's tests. Its first lines
//!   say what this command needs:
//!
//!   ```text
//!   //! Exercise 4.1: A UDP client that retries
//!   //! Edit: exercises/ch04-sockets/src/bin/udp_retry.rs
//!   //! Hint: `UdpSocket::connect` filters out strangers; …
//!   ```
//!
//! The package's default feature `reference` points the tests at the
//! reference solutions, which is what the workspace's `cargo test` checks.
//! This command builds the package without it, so the same tests run against
//! the reader's code:
//!
//! - `cargo xtask exercise` lists the exercises;
//! - `cargo xtask exercise 4.1` checks yours and says pass or fail, with the
//!   hint on failure;
//! - `cargo xtask exercise 4.1 --reference` checks the reference solution;
//! - `cargo xtask exercise --starters-fail` is CI's check that every test of
//!   every exercise fails on the untouched starter, so that no exercise test
//!   can pass without the reader's code.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::{Result, cargo, root};

/// One exercise, as the header of its test module describes it.
#[derive(Debug)]
pub struct Exercise {
    /// "4.1"
    pub id: String,
    pub title: String,
    /// The Cargo package, e.g. `ex04-sockets`.
    pub package: String,
    /// The test module, e.g. `ex4_1`.
    pub module: String,
    /// The file the reader edits, relative to the repository root.
    pub edit: String,
    pub hint: String,
    /// The test module's file, relative to the repository root.
    pub tests: PathBuf,
}

pub fn main(args: &[String]) -> Result {
    let all = discover(&root())?;
    let mut reference = false;
    let mut starters = false;
    let mut ids = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--reference" => reference = true,
            "--starters-fail" => starters = true,
            "-h" | "--help" => {
                print_usage(&all);
                return Ok(());
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            id => ids.push(id.to_owned()),
        }
    }
    if starters {
        return starters_fail(&all);
    }
    let [id] = ids.as_slice() else {
        print_usage(&all);
        return if ids.is_empty() {
            Ok(())
        } else {
            Err("name one exercise at a time".into())
        };
    };
    let Some(exercise) = all.iter().find(|ex| &ex.id == id) else {
        return Err(format!(
            "there is no exercise {id}; `cargo xtask exercise` lists them"
        ));
    };
    check(exercise, reference)
}

fn print_usage(all: &[Exercise]) {
    println!("usage: cargo xtask exercise N.M [--reference]");
    println!();
    println!("Edit the file an exercise names, then check it with `cargo xtask exercise N.M`.");
    println!("`--reference` runs the same tests against the book's reference solution.");
    println!();
    for ex in all {
        println!("  {:>5}  {:<44}  {}", ex.id, ex.title, ex.edit);
    }
}

/// What one run of an exercise's tests showed.
struct Outcome {
    passed: Vec<String>,
    failed: Vec<String>,
    /// The test binary's standard output: the failure details.
    stdout: String,
}

/// Runs exercise `ex`'s tests against the reader's code (or the reference
/// solution). `quiet` keeps cargo's compiler messages to ourselves.
fn run_tests(ex: &Exercise, reference: bool, quiet: bool) -> Result<Option<Outcome>> {
    let mut cmd = cargo();
    cmd.args(["test", "--package", &ex.package]);
    if !reference {
        cmd.arg("--no-default-features");
    }
    cmd.args(["--test", "exercises", "--"])
        .arg(format!("{}::", ex.module))
        .current_dir(root())
        // The panic message says what went wrong; a backtrace of the test
        // harness does not help a reader.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(if quiet {
            Stdio::piped()
        } else {
            Stdio::inherit()
        });
    let output = cmd
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let mut outcome = Outcome {
        passed: Vec::new(),
        failed: Vec::new(),
        stdout,
    };
    for line in outcome.stdout.lines() {
        // libtest prints `test ex4_1::name ... ok` (or FAILED, ignored).
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, result)) = rest.split_once(" ... ") else {
            continue;
        };
        let name = name
            .trim_start_matches(&format!("{}::", ex.module))
            .to_owned();
        match result.trim() {
            "ok" => outcome.passed.push(name),
            "FAILED" => outcome.failed.push(name),
            _ => {}
        }
    }
    let ran = !(outcome.passed.is_empty() && outcome.failed.is_empty());
    if !ran {
        if quiet {
            eprint!("{}", String::from_utf8_lossy(&output.stderr));
        }
        // Nothing ran: the code did not compile, or the filter matched no
        // test (a broken exercise header).
        return Ok(None);
    }
    Ok(Some(outcome))
}

fn check(ex: &Exercise, reference: bool) -> Result {
    let whose = if reference {
        "the reference solution"
    } else {
        "your code"
    };
    println!(
        "exercise {}: {} — testing {whose} ({})",
        ex.id,
        ex.title,
        if reference {
            reference_file(ex)
        } else {
            ex.edit.clone()
        }
    );
    let Some(mut outcome) = run_tests(ex, reference, false)? else {
        return Err(format!(
            "no test ran: {whose} does not compile (cargo's errors are above), \
             or the tests in {} are broken",
            ex.tests.display()
        ));
    };
    let total = outcome.passed.len() + outcome.failed.len();
    if outcome.failed.is_empty() {
        println!("\nPASS: all {total} tests of exercise {} pass.", ex.id);
        return Ok(());
    }
    // The details: libtest's `---- name stdout ----` sections hold each
    // failed test's panic message (what was expected, what the program did).
    // Two are enough to start with; the rest are often the same mistake.
    const SHOWN: usize = 2;
    let sections: Vec<&str> = outcome
        .stdout
        .split("\n---- ")
        .skip(1)
        .map(|section| section.split("\n\nfailures:\n").next().unwrap_or(section))
        .collect();
    for section in sections.iter().take(SHOWN) {
        println!("\n---- {}", section.trim_end());
    }
    if sections.len() > SHOWN {
        println!(
            "\n({} more failed tests not shown; `cargo test -p {} --no-default-features \
             --test exercises {}::` shows them all)",
            sections.len() - SHOWN,
            ex.package,
            ex.module
        );
    }
    println!(
        "\nFAIL: {} of {total} tests of exercise {} fail:",
        outcome.failed.len(),
        ex.id
    );
    outcome.failed.sort();
    outcome.passed.sort();
    for name in &outcome.failed {
        println!("  ✗ {}", name.replace('_', " "));
    }
    for name in &outcome.passed {
        println!("  ✓ {}", name.replace('_', " "));
    }
    println!("\nhint: {}", ex.hint);
    println!("The tests are in {}.", ex.tests.display());
    Err(format!("exercise {} is not solved yet", ex.id))
}

/// CI's check: every test of every exercise fails on the starter.
fn starters_fail(all: &[Exercise]) -> Result {
    if all.is_empty() {
        return Err("no exercises found under exercises/".into());
    }
    let mut problems = Vec::new();
    for ex in all {
        match run_tests(ex, false, true)? {
            None => problems.push(format!(
                "exercise {}: no test ran against the starter {} (does it compile?)",
                ex.id, ex.edit
            )),
            Some(outcome) => {
                println!(
                    "exercise {:>5}: the starter fails {} of {} tests",
                    ex.id,
                    outcome.failed.len(),
                    outcome.failed.len() + outcome.passed.len()
                );
                for name in outcome.passed {
                    problems.push(format!(
                        "{}: test `{}::{name}` passes on the untouched starter {}: \
                         it does not test the reader's code",
                        ex.tests.display(),
                        ex.module,
                        ex.edit
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        println!("every exercise test fails on its starter, as it should");
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Where the reference solution of `ex` lives: `src/` becomes `solutions/`.
fn reference_file(ex: &Exercise) -> String {
    ex.edit.replacen("/src/", "/solutions/", 1)
}

/// Every exercise under `root/exercises`, in chapter and number order.
pub fn discover(root: &Path) -> Result<Vec<Exercise>> {
    let mut all = Vec::new();
    let dir = root.join("exercises");
    let Ok(chapters) = fs::read_dir(&dir) else {
        return Ok(all);
    };
    for chapter in chapters.flatten() {
        let manifest = chapter.path().join("Cargo.toml");
        let Ok(toml) = fs::read_to_string(&manifest) else {
            continue;
        };
        let package = toml
            .lines()
            .find_map(|line| line.strip_prefix("name = "))
            .map(|name| name.trim_matches('"').to_owned())
            .ok_or_else(|| format!("{}: no package name", manifest.display()))?;
        let Ok(tests) = fs::read_dir(chapter.path().join("tests/exercises")) else {
            continue;
        };
        for test in tests.flatten() {
            let path = test.path();
            let module = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .unwrap_or_default()
                .to_owned();
            if !module.starts_with("ex") || path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let text =
                fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
            let relative = path.strip_prefix(root).unwrap_or(&path).to_owned();
            all.push(parse_header(&text, &relative, &package, &module)?);
        }
    }
    all.sort_by_key(|ex| {
        let (chapter, number) = ex.id.split_once('.').unwrap_or_default();
        (
            chapter.parse::<u32>().unwrap_or(0),
            number.parse::<u32>().unwrap_or(0),
        )
    });
    Ok(all)
}

fn parse_header(text: &str, tests: &Path, package: &str, module: &str) -> Result<Exercise> {
    let bad = |what: &str| format!("{}:1: {what}", tests.display());
    let mut lines = text
        .lines()
        .map_while(|line| line.strip_prefix("//!"))
        .map(str::trim);
    let first = lines.next().unwrap_or_default();
    let (id, title) = first
        .strip_prefix("Exercise ")
        .and_then(|rest| rest.split_once(": "))
        .ok_or_else(|| bad("the first line must be `//! Exercise N.M: Title`"))?;
    let expected_module = format!("ex{}", id.replace('.', "_"));
    if module != expected_module {
        return Err(bad(&format!(
            "exercise {id} must live in a module named {expected_module}"
        )));
    }
    let (mut edit, mut hint) = (String::new(), String::new());
    let mut in_hint = false;
    for line in lines {
        if let Some(path) = line.strip_prefix("Edit: ") {
            edit = path.to_owned();
            in_hint = false;
        } else if let Some(text) = line.strip_prefix("Hint: ") {
            hint = text.to_owned();
            in_hint = true;
        } else if in_hint && !line.is_empty() {
            hint.push(' ');
            hint.push_str(line);
        } else {
            in_hint = false;
        }
    }
    if edit.is_empty() || hint.is_empty() {
        return Err(bad(
            "the header needs an `//! Edit: path` and a `//! Hint: text` line",
        ));
    }
    Ok(Exercise {
        id: id.to_owned(),
        title: title.to_owned(),
        package: package.to_owned(),
        module: module.to_owned(),
        edit,
        hint,
        tests: tests.to_owned(),
    })
}
