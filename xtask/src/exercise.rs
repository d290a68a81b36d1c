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

use std::process::Stdio;

use crate::{Result, cargo, root};

// One description of the exercises for this command and the book's
// integrity checks.
#[path = "../../tests/src/exercises.rs"]
mod catalogue;

use catalogue::{Exercise, discover};

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
            ex.reference()
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
