//! The book's tasks, run as `cargo xtask <task>` from anywhere in the
//! repository:
//!
//! - `serve`: render the book and serve it on http://localhost:3000,
//!   rebuilding on change;
//! - `build`: render the book into `book/`, failing on any mdBook warning;
//! - `check`: exactly what CI runs (`ci/check.sh`);
//! - `bless`: rewrite the output files under `listings/*/output/` from real
//!   runs of the listings;
//! - `exercise N.M`: check your solution of exercise N.M (see
//!   `exercise.rs`); `exercise` alone lists them;
//! - `bench SUITE`: run a benchmark suite in release mode and record its
//!   results, table and chart (see `bench.rs`).
//!
//! `serve` and `build` need mdBook 0.5.4. When it is missing, or another
//! version is on the PATH, they install 0.5.4 into `target/tools` with
//! `cargo install --locked` and say so.

use std::env;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

mod bench;
mod exercise;

const MDBOOK_VERSION: &str = "0.5.4";

fn main() -> ExitCode {
    let task = env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "serve" => serve(),
        "build" => build(),
        "check" => check(),
        "bless" => bless(),
        "exercise" => exercise::main(&env::args().skip(2).collect::<Vec<_>>()),
        "bench" => bench::main(&env::args().skip(2).collect::<Vec<_>>()),
        _ => {
            eprintln!("usage: cargo xtask <serve|build|check|bless|exercise|bench>");
            eprintln!("  serve  render the book and serve it on http://localhost:3000");
            eprintln!("  build  render the book into book/; any mdBook warning fails it");
            eprintln!("  check  run what CI runs: fmt, clippy, tests, book build");
            eprintln!("  bless  rewrite listings/*/output/*.txt from real runs");
            eprintln!("  exercise N.M  check your solution of exercise N.M");
            eprintln!("  bench SUITE   run a benchmark suite and record its results");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask {task}: {message}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (this package's parent).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

fn serve() -> Result {
    let mdbook = mdbook()?;
    println!("serving the book on http://localhost:3000 (Ctrl-C to stop)");
    // Loopback only: the preview is for you, not your network.
    status(
        Command::new(mdbook)
            .args(["serve", "--hostname", "127.0.0.1", "--port", "3000"])
            .current_dir(root()),
    )
}

fn build() -> Result {
    let mdbook = mdbook()?;
    let mut child = Command::new(&mdbook)
        .arg("build")
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot run {}: {err}", mdbook.display()))?;
    // mdBook logs to stderr, and reports some problems (a broken include,
    // say) as ERROR or WARN lines while still exiting 0. Echo the log and
    // count them.
    let mut complaints = 0;
    for line in BufReader::new(child.stderr.take().expect("piped")).lines() {
        let line = line.map_err(|err| format!("reading mdBook's log: {err}"))?;
        eprintln!("{line}");
        let level = line.trim_start();
        if level.starts_with("WARN") || level.starts_with("ERROR") {
            complaints += 1;
        }
    }
    let exit = child.wait().map_err(|err| err.to_string())?;
    if !exit.success() {
        return Err(format!("mdbook build failed ({exit})"));
    }
    if complaints > 0 {
        return Err(format!(
            "mdbook build printed {complaints} warning or error line(s); fix them"
        ));
    }
    println!(
        "the book is in {}",
        root().join("book/index.html").display()
    );
    Ok(())
}

fn check() -> Result {
    status(Command::new("bash").arg("ci/check.sh").current_dir(root()))
}

fn bless() -> Result {
    println!("rewriting output files from real runs (UPDATE_EXPECT=1 cargo test --tests)");
    status(
        cargo()
            .args(["test", "--workspace", "--tests"])
            .env("UPDATE_EXPECT", "1")
            .current_dir(root()),
    )?;
    println!("done: review the changes with `git diff -- listings/*/output`");
    Ok(())
}

pub(crate) fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs `cmd`, failing unless it exits with status 0.
fn status(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    let exit = cmd
        .status()
        .map_err(|err| format!("cannot run {shown}: {err}"))?;
    if exit.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({exit})"))
    }
}

/// The version an `mdbook` binary reports, if it runs.
fn mdbook_version(mdbook: &OsStr) -> Option<String> {
    let out = Command::new(mdbook).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // "mdbook v0.5.4"
    Some(
        text.trim()
            .trim_start_matches("mdbook")
            .trim()
            .trim_start_matches('v')
            .to_owned(),
    )
}

/// An mdBook of the pinned version: the one on the PATH if it is that
/// version, else the one in `target/tools`, installed there if need be.
fn mdbook() -> Result<PathBuf> {
    let on_path = mdbook_version(OsStr::new("mdbook"));
    if on_path.as_deref() == Some(MDBOOK_VERSION) {
        return Ok(PathBuf::from("mdbook"));
    }
    let tools = root().join("target/tools");
    let local = tools.join("bin/mdbook");
    if mdbook_version(local.as_os_str()).as_deref() == Some(MDBOOK_VERSION) {
        return Ok(local);
    }
    match on_path {
        Some(other) => {
            println!("xtask: found mdBook {other} on the PATH; the book needs {MDBOOK_VERSION}.")
        }
        None => println!("xtask: mdBook is not installed."),
    }
    println!(
        "xtask: installing mdBook {MDBOOK_VERSION} into {} with `cargo install --locked` \
         (once; it takes a few minutes on 2 cores)",
        tools.display()
    );
    status(
        cargo()
            .args([
                "install",
                "--locked",
                "--quiet",
                "mdbook",
                "--version",
                MDBOOK_VERSION,
                "--root",
            ])
            .arg(&tools),
    )?;
    match mdbook_version(local.as_os_str()) {
        Some(version) if version == MDBOOK_VERSION => Ok(local),
        other => Err(format!(
            "installed mdBook reports version {other:?}, not {MDBOOK_VERSION}"
        )),
    }
}
