//! The book's tasks, run as `cargo xtask <task>` from anywhere in the
//! repository:
//!
//! - `serve`: render the book and serve it on http://localhost:3000,
//!   rebuilding on change;
//! - `build`: render the book into `book/`, failing on any mdBook warning,
//!   and index it for search with Pagefind;
//! - `check`: exactly what CI runs (`ci/check.sh`);
//! - `bless`: rewrite the output files under `listings/*/output/` from real
//!   runs of the listings;
//! - `exercise N.M`: check your solution of exercise N.M (see
//!   `exercise.rs`); `exercise` alone lists them;
//! - `bench SUITE`: run a benchmark suite in release mode and record its
//!   results, table and chart (see `bench.rs`).
//!
//! `serve` and `build` need mdBook 0.5.4 and Pagefind 1.6.0 (built with its
//! `extended` feature, which segments Chinese). When one is missing, or
//! another version of mdBook is on the PATH, they install it into
//! `target/tools` with `cargo install --locked` and say so.

use std::env;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

mod bench;
mod exercise;

const MDBOOK_VERSION: &str = "0.5.4";
const PAGEFIND_VERSION: &str = "1.6.0";

fn main() -> ExitCode {
    let task = env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "serve" => serve(),
        "build" => build(&env::args().skip(2).collect::<Vec<_>>()),
        "check" => check(),
        "bless" => bless(),
        "exercise" => exercise::main(&env::args().skip(2).collect::<Vec<_>>()),
        "bench" => bench::main(&env::args().skip(2).collect::<Vec<_>>()),
        _ => {
            eprintln!("usage: cargo xtask <serve|build|check|bless|exercise|bench>");
            eprintln!("  serve  render the book and serve it on http://localhost:3000");
            eprintln!("  build  render the book into book/ and index it for search;");
            eprintln!("         any mdBook warning fails it");
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
            if message.starts_with(NOT_INSTALLED_PREFIX) {
                ExitCode::from(NOT_INSTALLED)
            } else {
                ExitCode::FAILURE
            }
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
    let mdbook = tool(&MDBOOK, Install::IfMissing)?;
    let pagefind = tool(&PAGEFIND, Install::IfMissing)?;
    println!("serving the book on http://localhost:3000 (Ctrl-C to stop)");
    // Loopback only: the preview is for you, not your network.
    let mut child = Command::new(mdbook)
        .args(["serve", "--hostname", "127.0.0.1", "--port", "3000"])
        .current_dir(root())
        .spawn()
        .map_err(|err| format!("cannot run mdbook serve: {err}"))?;
    // mdBook rebuilds book/ from scratch on every change, search index
    // included: index it again once a rebuild has settled.
    let site = root().join("book");
    // The build whose indexing failed, so as to say it once, not every turn.
    let mut failed = None;
    loop {
        if let Some(exit) = child.try_wait().map_err(|err| err.to_string())? {
            return if exit.success() {
                Ok(())
            } else {
                Err(format!("mdbook serve failed ({exit})"))
            };
        }
        let settled = newest_page(&site).is_some_and(|newest| {
            newest.elapsed().unwrap_or_default() > Duration::from_millis(500)
        });
        let unindexed = !site.join(SEARCH_BUNDLES[0].0).join("pagefind.js").is_file();
        if settled && unindexed && failed != newest_page(&site) {
            let before = newest_page(&site);
            match index(&pagefind, &site) {
                // A rebuild that started meanwhile: index that one too.
                Ok(()) if newest_page(&site) != before => remove_index(&site),
                Ok(()) => {}
                Err(message) => {
                    eprintln!("xtask serve: search will not work: {message}");
                    failed = before;
                }
            }
        }
        thread::sleep(Duration::from_millis(300));
    }
}

/// `cargo xtask build [--dest-dir DIR] [--no-install]`: renders the book
/// with mdBook, then indexes it for search with Pagefind. `--no-install`
/// (for tests) exits with status 3 instead of installing a missing tool.
fn build(args: &[String]) -> Result {
    let mut dest = root().join("book");
    let mut install = Install::IfMissing;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dest-dir" => {
                let dir = args.next().ok_or("--dest-dir needs a directory")?;
                dest = env::current_dir().map_err(|e| e.to_string())?.join(dir);
            }
            "--no-install" => install = Install::Never,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let mdbook = tool(&MDBOOK, install)?;
    let pagefind = tool(&PAGEFIND, install)?;
    let started = Instant::now();
    let mut child = Command::new(&mdbook)
        .arg("build")
        .arg("--dest-dir")
        .arg(&dest)
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
    let rendered = started.elapsed();
    index(&pagefind, &dest)?;
    println!(
        "the book is in {} (rendered in {:.1} s, indexed in {:.1} s)",
        dest.join("index.html").display(),
        rendered.as_secs_f64(),
        (started.elapsed() - rendered).as_secs_f64()
    );
    Ok(())
}

/// The two search bundles `theme/search.js` loads: the pages as English
/// (stemmed words), and as Chinese (words found by Pagefind's segmenter, so
/// that 进程 finds 僵尸进程).
const SEARCH_BUNDLES: [(&str, Option<&str>); 2] = [("pagefind", None), ("pagefind-zh", Some("zh"))];

/// Indexes the rendered book in `site` for search.
fn index(pagefind: &Path, site: &Path) -> Result {
    let pages = content_pages(site);
    if pages.is_empty() {
        return Err(format!("no pages to index in {}", site.display()));
    }
    // Every chapter, but not what mdBook makes besides: print.html (all
    // chapters at once), toc.html, 404.html, and index.html (a copy of the
    // first chapter).
    let glob = format!("{{{}}}", pages.join(","));
    // The two runs are independent: run them side by side.
    let mut runs = Vec::new();
    for (subdir, language) in SEARCH_BUNDLES {
        let mut cmd = Command::new(pagefind);
        cmd.arg("--site")
            .arg(site)
            .args(["--output-subdir", subdir, "--root-selector", "main"])
            .args(["--glob", &glob, "--quiet"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(language) = language {
            cmd.args(["--force-language", language]);
        }
        let child = cmd
            .spawn()
            .map_err(|err| format!("cannot run {}: {err}", pagefind.display()))?;
        runs.push((subdir, child));
    }
    for (subdir, child) in runs {
        let out = child.wait_with_output().map_err(|err| err.to_string())?;
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if !out.status.success() || !log.trim().is_empty() {
            return Err(format!(
                "pagefind ({subdir}) failed ({}):\n{}",
                out.status,
                log.trim()
            ));
        }
    }
    Ok(())
}

fn remove_index(site: &Path) {
    for (subdir, _) in SEARCH_BUNDLES {
        let _ = std::fs::remove_dir_all(site.join(subdir));
    }
}

/// The book's pages in `site`, relative, with `/` separators.
fn content_pages(site: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, pages: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if path.is_dir() {
                if !SEARCH_BUNDLES.iter().any(|(subdir, _)| *subdir == name) {
                    walk(&path, &format!("{prefix}{name}/"), pages);
                }
            } else if name.ends_with(".html")
                && !(prefix.is_empty()
                    && ["print.html", "toc.html", "404.html", "index.html"]
                        .contains(&name.as_str()))
            {
                pages.push(format!("{prefix}{name}"));
            }
        }
    }
    let mut pages = Vec::new();
    walk(site, "", &mut pages);
    pages.sort();
    pages
}

/// When the most recently written page in `site` was written.
fn newest_page(site: &Path) -> Option<SystemTime> {
    content_pages(site)
        .iter()
        .chain(["index.html".to_owned()].iter())
        .filter_map(|page| std::fs::metadata(site.join(page)).ok()?.modified().ok())
        .max()
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

/// A tool `serve` and `build` need, at a pinned version, installed from
/// crates.io into `target/tools` when missing.
struct Tool {
    name: &'static str,
    version: &'static str,
    /// Cargo features to build it with.
    features: &'static str,
    /// Whether a copy on the PATH will do, if it is the right version.
    from_path: bool,
    /// What it does for the book, for the message when it is installed.
    role: &'static str,
}

const MDBOOK: Tool = Tool {
    name: "mdbook",
    version: MDBOOK_VERSION,
    features: "",
    from_path: true,
    role: "renders the book",
};

/// Pagefind's `extended` feature segments Chinese text into words. A
/// `pagefind` on the PATH may be built without it, so only ours is used.
const PAGEFIND: Tool = Tool {
    name: "pagefind",
    version: PAGEFIND_VERSION,
    features: "extended",
    from_path: false,
    role: "indexes the book for search, Chinese included",
};

#[derive(Clone, Copy, PartialEq)]
enum Install {
    IfMissing,
    /// Report a missing tool instead (exit status 3).
    Never,
}

/// The exit status of `cargo xtask build --no-install` when a tool is
/// missing.
const NOT_INSTALLED: u8 = 3;

/// The version a tool's binary reports (`mdbook v0.5.4`, `pagefind 1.6.0`),
/// if it runs.
fn tool_version(binary: &OsStr) -> Option<String> {
    let out = Command::new(binary).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().last()?;
    Some(version.trim_start_matches('v').to_owned())
}

/// `tool` at its pinned version: the one on the PATH if allowed and of that
/// version, else the one in `target/tools`, installed there if need be.
fn tool(tool: &Tool, install: Install) -> Result<PathBuf> {
    let on_path = if tool.from_path {
        tool_version(OsStr::new(tool.name))
    } else {
        None
    };
    if on_path.as_deref() == Some(tool.version) {
        return Ok(PathBuf::from(tool.name));
    }
    let tools = root().join("target/tools");
    let local = tools.join("bin").join(tool.name);
    if tool_version(local.as_os_str()).as_deref() == Some(tool.version) {
        return Ok(local);
    }
    if install == Install::Never {
        return Err(format!(
            "{NOT_INSTALLED_PREFIX}{} {} is not in {} (`cargo xtask build` installs it)",
            tool.name,
            tool.version,
            tools.display()
        ));
    }
    match on_path {
        Some(other) => println!(
            "xtask: found {} {other} on the PATH; the book needs {}.",
            tool.name, tool.version
        ),
        None => println!("xtask: {} {} is not installed.", tool.name, tool.version),
    }
    println!(
        "xtask: installing {} {} (it {}) into {} with `cargo install --locked` \
         (once; it takes a few minutes on 2 cores)",
        tool.name,
        tool.version,
        tool.role,
        tools.display()
    );
    let mut cmd = cargo();
    cmd.args([
        "install",
        "--locked",
        "--quiet",
        tool.name,
        "--version",
        tool.version,
    ]);
    if !tool.features.is_empty() {
        cmd.args(["--features", tool.features]);
    }
    status(cmd.arg("--root").arg(&tools))?;
    match tool_version(local.as_os_str()) {
        Some(version) if version == tool.version => Ok(local),
        other => Err(format!(
            "installed {} reports version {other:?}, not {}",
            tool.name, tool.version
        )),
    }
}

/// How an error from [`tool`] says the tool is missing and was not installed.
const NOT_INSTALLED_PREFIX: &str = "not installed: ";
