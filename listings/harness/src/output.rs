//! Output shown in the book: normalisation and comparison with the files
//! under `listings/<chapter>/output/`.

use std::env;
use std::path::{Component, Path, PathBuf};

use expect_test::ExpectFile;
use regex::Regex;

/// Rewrites what legitimately changes from run to run (temp paths, PIDs,
/// ports, timings) into the stable text the book shows.
///
/// ```
/// let text = harness::Normalizer::new()
///     .port(40123, "7878")
///     .pid(31337, "4242")
///     .apply("pid 31337 listening on 127.0.0.1:40123");
/// assert_eq!(text, "pid 4242 listening on 127.0.0.1:7878");
/// ```
#[derive(Default, Clone)]
pub struct Normalizer {
    rules: Vec<(Regex, String)>,
}

impl Normalizer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces every match of `pattern` (a regex) with `with`, which may use
    /// `$1`-style group references.
    pub fn replace(mut self, pattern: &str, with: &str) -> Self {
        let regex =
            Regex::new(pattern).unwrap_or_else(|err| panic!("bad pattern {pattern}: {err}"));
        self.rules.push((regex, with.to_owned()));
        self
    }

    /// Shows the path `path` (e.g. a temp dir) as `shown_as`.
    pub fn path(self, path: impl AsRef<Path>, shown_as: &str) -> Self {
        let path = path.as_ref().to_string_lossy().into_owned();
        // Longest first, so that a canonical path inside /tmp is caught too.
        let mut spellings = vec![path.clone()];
        if let Ok(canonical) = std::fs::canonicalize(&path) {
            let canonical = canonical.to_string_lossy().into_owned();
            if canonical != path {
                spellings.push(canonical);
            }
        }
        spellings.sort_by_key(|spelling| std::cmp::Reverse(spelling.len()));
        spellings.into_iter().fold(self, |norm, spelling| {
            norm.replace(&regex::escape(&spelling), &shown_as.replace('$', "$$"))
        })
    }

    /// Shows the process ID `pid` as `shown_as` wherever it stands as a number.
    pub fn pid(self, pid: u32, shown_as: &str) -> Self {
        self.replace(&format!(r"\b{pid}\b"), shown_as)
    }

    /// Shows the port `port` as `shown_as` where it follows a colon.
    pub fn port(self, port: u16, shown_as: &str) -> Self {
        self.replace(&format!(r":{port}\b"), &format!(":{shown_as}"))
    }

    /// Shows every duration such as `1.25ms`, `3 µs` or `2s` as `shown_as`.
    pub fn durations(self, shown_as: &str) -> Self {
        self.replace(r"\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s)\b", shown_as)
    }

    /// Applies every rule in the order they were added.
    pub fn apply(&self, text: &str) -> String {
        self.rules
            .iter()
            .fold(text.to_owned(), |text, (regex, with)| {
                regex.replace_all(&text, with.as_str()).into_owned()
            })
    }
}

/// The workspace root: where `cargo test` and the book's paths start.
fn workspace_root() -> PathBuf {
    if let Ok(dir) = env::var("CARGO_WORKSPACE_DIR") {
        return PathBuf::from(dir);
    }
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("tests run under cargo");
    Path::new(&manifest)
        .ancestors()
        .filter(|dir| dir.join("Cargo.toml").exists())
        .last()
        .expect("a Cargo.toml above the package")
        .to_path_buf()
}

/// Removes `.` and `..` from a path without touching the file system
/// (`a/b/../c` → `a/c`), unlike `canonicalize`.
pub fn tidy(path: &Path) -> PathBuf {
    let mut tidy = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                tidy.pop();
            }
            other => tidy.push(other),
        }
    }
    tidy
}

/// The output file an `expect_file!` names, relative to the workspace root.
pub fn output_path(expect: &ExpectFile) -> PathBuf {
    let dir = Path::new(expect.position).parent().unwrap_or(Path::new(""));
    tidy(&dir.join(&expect.path))
}

/// Compares `actual` with the output file behind `expect`.
///
/// A mismatch fails with `path:line:` of the first differing line, both
/// versions of that line, and how to accept the new output. With
/// `UPDATE_EXPECT` set the file is rewritten instead.
#[track_caller]
pub fn assert_output(expect: ExpectFile, actual: &str) {
    let shown = output_path(&expect);
    if env::var_os("UPDATE_EXPECT").is_some() {
        expect.assert_eq(actual);
        return;
    }
    let file = workspace_root().join(&shown);
    let expected = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(err) => panic!(
            "{}:1: cannot read the output file ({err}).\n\
             Create it from a real run with `cargo xtask bless`.\nactual output:\n{actual}",
            shown.display()
        ),
    };
    if let Some(message) = describe_mismatch(&shown, &expected, actual) {
        panic!("{message}");
    }
}

/// The failure message for an output file `file` that holds `expected`
/// when the listing printed `actual`, or `None` if they are equal. It starts
/// with `file:line:` of the first line that differs.
pub fn describe_mismatch(file: &Path, expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let mut expected_lines = expected.split_inclusive('\n');
    let mut actual_lines = actual.split_inclusive('\n');
    let mut line = 1;
    let (want, got) = loop {
        match (expected_lines.next(), actual_lines.next()) {
            (Some(want), Some(got)) if want == got => line += 1,
            (want, got) => break (want, got),
        }
    };
    let show = |text: Option<&str>| match text {
        Some(text) => format!("{text:?}"),
        None => "(end of output)".to_owned(),
    };
    Some(format!(
        "{}:{line}: the book shows output the listing no longer prints.\n\
         book (output file): {}\n\
         listing (real run): {}\n\
         If the new output is right, run `cargo xtask bless` and review the diff.\n\
         --- full output of the real run ---\n{actual}",
        file.display(),
        show(want),
        show(got),
    ))
}
