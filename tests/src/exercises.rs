//! The book's exercises, as their test modules describe them.
//!
//! Shared by `cargo xtask exercise` (which includes this file) and the
//! integrity checks. Exercise N.M's tests are the module
//! `exercises/chNN-topic/tests/exercises/exN_M.rs`, whose first lines are:
//!
//! ```text
//! //! Exercise 4.1: A UDP client that retries
//! //! Edit: exercises/ch04-sockets/src/bin/udp_retry.rs
//! //! Hint: `UdpSocket::connect` filters out strangers; …
//! ```
//!
//! The reference solution is the `Edit` path with `/src/` replaced by
//! `/solutions/`.

use std::fs;
use std::path::{Path, PathBuf};

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

impl Exercise {
    /// The chapter number: 4 for exercise 4.1.
    pub fn chapter(&self) -> u32 {
        self.id
            .split_once('.')
            .and_then(|(chapter, _)| chapter.parse().ok())
            .unwrap_or(0)
    }

    /// Where the reference solution lives: `src/` becomes `solutions/`.
    pub fn reference(&self) -> String {
        self.edit.replacen("/src/", "/solutions/", 1)
    }
}

/// Every exercise under `root/exercises`, in chapter and number order.
pub fn discover(root: &Path) -> Result<Vec<Exercise>, String> {
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
        let number = ex
            .id
            .split_once('.')
            .map_or(0, |(_, n)| n.parse().unwrap_or(0));
        (ex.chapter(), number)
    });
    Ok(all)
}

fn parse_header(text: &str, tests: &Path, package: &str, module: &str) -> Result<Exercise, String> {
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
