//! Integrity checks: the book, its listings and their output files agree.
//!
//! Each check returns [`Problem`]s that name a file and line and say what to
//! do. [`check_book`] runs them all on a book rooted at a directory laid out
//! as DESIGN.md says (`src/`, `listings/<chapter>/{src/bin,tests,output}`).

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use harness::tidy;

use regex::Regex;

use crate::bench;
use crate::exercises::{self, Exercise};
use crate::summary;

/// One thing wrong with the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Relative to the book's root.
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// A book on disk: its markdown, its listings and their outputs.
pub struct Book {
    root: PathBuf,
    /// Markdown files under `src/` (relative to the root), sorted.
    pages: Vec<PathBuf>,
    /// Every `{{#include}}` in the pages.
    includes: Vec<Include>,
}

/// One `{{#include path[:selector]}}` directive.
#[derive(Debug)]
struct Include {
    page: PathBuf,
    line: usize,
    /// Relative to the root, `..` resolved.
    target: PathBuf,
    /// As written, for messages.
    written: String,
    selector: Option<String>,
}

/// Runs every check on the book rooted at `root`.
pub fn check_book(root: &Path) -> Vec<Problem> {
    let book = match Book::load(root) {
        Ok(book) => book,
        Err(problem) => return vec![problem],
    };
    let mut problems = Vec::new();
    problems.extend(book.summary_entries_exist());
    problems.extend(book.chapters_are_in_summary());
    problems.extend(book.includes_resolve());
    problems.extend(book.fences_have_a_language());
    problems.extend(book.links_resolve());
    problems.extend(book.listings_are_shown());
    problems.extend(book.output_files_are_shown_and_checked());
    problems.extend(book.exercises_are_on_their_pages());
    problems.extend(book.chapters_end_with_exercises());
    problems.extend(book.bench_results_agree_with_pages());
    problems
}

impl Book {
    pub fn load(root: &Path) -> Result<Book, Problem> {
        let src = root.join("src");
        let mut pages = Vec::new();
        for file in walk(&src) {
            if file.extension().is_some_and(|ext| ext == "md") {
                pages.push(relative(root, &file));
            }
        }
        pages.sort();
        if !pages.iter().any(|page| page == Path::new("src/SUMMARY.md")) {
            return Err(Problem {
                file: "src/SUMMARY.md".into(),
                line: 1,
                message: "the book has no SUMMARY.md".into(),
            });
        }
        let directive = Regex::new(r"\{\{#(?:include|rustdoc_include)\s+([^}\s]+)\s*\}\}").unwrap();
        let mut includes = Vec::new();
        for page in &pages {
            let text = read(root, page);
            let dir = page.parent().unwrap_or(Path::new(""));
            for (index, line) in text.lines().enumerate() {
                for found in directive.captures_iter(line) {
                    let written = found[1].to_owned();
                    // `path:anchor`, `path:10`, `path:10:20`, or just `path`.
                    let (path, selector) = match written.split_once(':') {
                        Some((path, selector)) => (path, Some(selector.to_owned())),
                        None => (written.as_str(), None),
                    };
                    includes.push(Include {
                        page: page.clone(),
                        line: index + 1,
                        target: tidy(&dir.join(path)),
                        written: written.clone(),
                        selector,
                    });
                }
            }
        }
        Ok(Book {
            root: root.to_owned(),
            pages,
            includes,
        })
    }

    fn summary(&self) -> Vec<summary::Entry> {
        summary::entries(&read(&self.root, Path::new("src/SUMMARY.md")))
    }

    /// Every entry of SUMMARY.md names a file that exists.
    pub fn summary_entries_exist(&self) -> Vec<Problem> {
        self.summary()
            .into_iter()
            .filter_map(|entry| {
                let path = entry.path?;
                let file = Path::new("src").join(&path);
                (!self.root.join(&file).is_file()).then(|| Problem {
                    file: "src/SUMMARY.md".into(),
                    line: entry.line,
                    message: format!(
                        "chapter \"{}\" links to {path}, which does not exist: \
                         create {} or make the entry a draft (`[{}]()`)",
                        entry.title,
                        file.display(),
                        entry.title
                    ),
                })
            })
            .collect()
    }

    /// Every markdown file under `src/` is a chapter in SUMMARY.md, so that
    /// it is rendered and its code is tested.
    pub fn chapters_are_in_summary(&self) -> Vec<Problem> {
        let listed: BTreeSet<PathBuf> = self
            .summary()
            .into_iter()
            .filter_map(|entry| entry.path.map(|path| tidy(&Path::new("src").join(path))))
            .collect();
        self.pages
            .iter()
            .filter(|page| page.as_path() != Path::new("src/SUMMARY.md"))
            .filter(|page| !listed.contains(*page))
            .map(|page| Problem {
                file: page.clone(),
                line: 1,
                message: "this page is not in src/SUMMARY.md, so it is neither rendered \
                          nor tested: add it to SUMMARY.md or delete it"
                    .into(),
            })
            .collect()
    }

    /// Every include names an existing file and, by anchor, an existing part
    /// of it; none uses line numbers.
    pub fn includes_resolve(&self) -> Vec<Problem> {
        let numeric = Regex::new(r"^\d*(:\d*)?$").unwrap();
        let mut problems = Vec::new();
        for include in &self.includes {
            let problem = |message: String| Problem {
                file: include.page.clone(),
                line: include.line,
                message,
            };
            if let Some(selector) = &include.selector
                && numeric.is_match(selector)
            {
                problems.push(problem(format!(
                    "`{}` includes by line numbers, which silently shift when the \
                     listing changes: mark the part with `// ANCHOR: name` and \
                     `// ANCHOR_END: name` and include `path:name`",
                    include.written
                )));
                continue;
            }
            let file = self.root.join(&include.target);
            let Ok(text) = fs::read_to_string(&file) else {
                problems.push(problem(format!(
                    "`{}` names {}, which does not exist",
                    include.written,
                    include.target.display()
                )));
                continue;
            };
            if let Some(anchor) = &include.selector {
                let marker = |kind: &str| {
                    Regex::new(&format!(r"\b{kind}:\s*{}\s*$", regex::escape(anchor))).unwrap()
                };
                let (start, end) = (marker("ANCHOR"), marker("ANCHOR_END"));
                let has = |regex: &Regex| text.lines().any(|line| regex.is_match(line));
                if !has(&start) || !has(&end) {
                    problems.push(problem(format!(
                        "anchor `{anchor}` is not in {}: it needs both `ANCHOR: {anchor}` \
                         and `ANCHOR_END: {anchor}` lines (renamed?)",
                        include.target.display()
                    )));
                }
            }
        }
        problems
    }

    /// Every code fence says what it holds: untagged fences are Rust to
    /// rustdoc, so a shell session without `console` fails as a doctest. A
    /// `rust,ignore` fence holds only an include (the listing is tested as
    /// a crate).
    pub fn fences_have_a_language(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        for page in &self.pages {
            let text = read(&self.root, page);
            let mut open: Option<(String, usize, String, bool)> = None;
            for (index, line) in text.lines().enumerate() {
                let trimmed = line.trim_start();
                let fence: String = trimmed
                    .chars()
                    .take_while(|&c| c == '`' || c == '~')
                    .collect();
                let is_fence =
                    fence.len() >= 3 && fence.chars().all(|c| c == fence.as_bytes()[0] as char);
                match &mut open {
                    None if is_fence => {
                        let info = trimmed[fence.len()..].trim().to_owned();
                        if info.is_empty() {
                            problems.push(Problem {
                                file: page.clone(),
                                line: index + 1,
                                message: "code fence without a language: rustdoc runs it as \
                                          Rust; tag it `rust`, `text`, `console`, `toml`, …"
                                    .into(),
                            });
                        }
                        open = Some((fence, index + 1, info, false));
                    }
                    Some((opening, start, info, has_include)) => {
                        if is_fence
                            && fence.starts_with(opening.as_str())
                            && trimmed[fence.len()..].trim().is_empty()
                        {
                            let tags: Vec<&str> = info.split(',').map(str::trim).collect();
                            if tags.first() == Some(&"rust")
                                && tags.contains(&"ignore")
                                && !*has_include
                            {
                                problems.push(Problem {
                                    file: page.clone(),
                                    line: *start,
                                    message: "`rust,ignore` is only for fences that include a \
                                              listing; test this code instead (plain `rust`, \
                                              `no_run` or `compile_fail`)"
                                        .into(),
                                });
                            }
                            open = None;
                        } else if trimmed.contains("{{#include")
                            || trimmed.contains("{{#rustdoc_include")
                        {
                            *has_include = true;
                        }
                    }
                    None => {}
                }
            }
            if let Some((_, start, _, _)) = open {
                problems.push(Problem {
                    file: page.clone(),
                    line: start,
                    message: "this code fence is never closed".into(),
                });
            }
        }
        problems
    }

    /// Every relative link and image in the pages points at a file that
    /// exists and, with `#fragment`, at a heading id that page has (mdBook
    /// itself checks neither).
    pub fn links_resolve(&self) -> Vec<Problem> {
        let inline = Regex::new(r#"\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)"#).unwrap();
        let reference = Regex::new(r"^\s*\[[^\]]+\]:\s*<?([^\s>]+)").unwrap();
        let mut problems = Vec::new();
        // SUMMARY.md's links are chapters, checked by summary_entries_exist.
        let pages = self
            .pages
            .iter()
            .filter(|page| !page.ends_with("SUMMARY.md"));
        for page in pages {
            let dir = page.parent().unwrap_or(Path::new(""));
            for (line, text) in prose_lines(&read(&self.root, page)) {
                let text = strip_code_spans(text);
                let targets = inline
                    .captures_iter(&text)
                    .chain(reference.captures_iter(&text))
                    .map(|found| found[1].to_owned());
                for target in targets {
                    if target.contains("://") || target.starts_with("mailto:") {
                        continue;
                    }
                    let (path, fragment) = match target.split_once('#') {
                        Some((path, fragment)) => (path, Some(fragment)),
                        None => (target.as_str(), None),
                    };
                    let file = if path.is_empty() {
                        page.clone()
                    } else {
                        tidy(&dir.join(path))
                    };
                    let problem = |message: String| Problem {
                        file: page.clone(),
                        line,
                        message,
                    };
                    if !self.root.join(&file).is_file() {
                        problems.push(problem(format!(
                            "link `{target}` points at {}, which does not exist",
                            file.display()
                        )));
                        continue;
                    }
                    let Some(fragment) = fragment else { continue };
                    if file.extension().is_none_or(|ext| ext != "md") {
                        continue;
                    }
                    if !heading_ids(&read(&self.root, &file)).contains(fragment) {
                        problems.push(problem(format!(
                            "link `{target}`: {} has no heading with the id `{fragment}` \
                             (renamed heading?)",
                            file.display()
                        )));
                    }
                }
            }
        }
        problems
    }

    /// Every listing binary is shown on some page.
    pub fn listings_are_shown(&self) -> Vec<Problem> {
        let shown: BTreeSet<&Path> = self
            .includes
            .iter()
            .map(|inc| inc.target.as_path())
            .collect();
        self.listing_files("src/bin", "rs")
            .into_iter()
            .filter(|file| !shown.contains(file.as_path()))
            .map(|file| Problem {
                line: 1,
                message: format!(
                    "no page shows this listing: include it in its chapter with \
                     `{{{{#include ../{}:anchor}}}}` (or delete it)",
                    file.display()
                ),
                file,
            })
            .collect()
    }

    /// Every output file is shown on some page and compared with a real run
    /// by some test of its chapter.
    pub fn output_files_are_shown_and_checked(&self) -> Vec<Problem> {
        let shown: BTreeSet<&Path> = self
            .includes
            .iter()
            .map(|inc| inc.target.as_path())
            .collect();
        let mut problems = Vec::new();
        for file in self.listing_files("output", "txt") {
            let chapter = file
                .parent()
                .and_then(Path::parent)
                .unwrap_or(Path::new(""));
            let name = file.file_name().unwrap().to_string_lossy();
            let needle = format!("output/{name}\"");
            let checked = walk(&self.root.join(chapter).join("tests"))
                .iter()
                .filter(|test| test.extension().is_some_and(|ext| ext == "rs"))
                .any(|test| fs::read_to_string(test).is_ok_and(|code| code.contains(&needle)));
            if !checked {
                problems.push(Problem {
                    file: file.clone(),
                    line: 1,
                    message: format!(
                        "stale output file: no test of {} compares it with a real run \
                         (`check_output!(\"../output/{name}\", …)`); check it or delete it",
                        chapter.display()
                    ),
                });
            }
            if !shown.contains(file.as_path()) {
                problems.push(Problem {
                    file,
                    line: 1,
                    message: "no page shows this output file: include it under the command \
                              that produced it, or delete it"
                        .into(),
                });
            }
        }
        problems
    }

    /// Every exercise is on its chapter's page (`src/chNN-*.md`): a
    /// `### Exercise N.M: Title` heading whose section names the file to
    /// edit, shows `cargo xtask exercise N.M`, and includes the reference
    /// solution inside `<details>`, one click away rather than inline. And
    /// every exercise heading on a page has tests.
    pub fn exercises_are_on_their_pages(&self) -> Vec<Problem> {
        let all = match exercises::discover(&self.root) {
            Ok(all) => all,
            Err(message) => {
                // "path:1: what": point at the file the message names.
                let (file, rest) = message.split_once(':').unwrap_or(("exercises", &message));
                let (line, what) = rest.split_once(": ").unwrap_or(("1", rest));
                return vec![Problem {
                    file: file.into(),
                    line: line.parse().unwrap_or(1),
                    message: what.to_owned(),
                }];
            }
        };
        let mut problems = Vec::new();
        for ex in &all {
            problems.extend(self.exercise_problems(ex));
        }
        let heading = Regex::new(r"^### Exercise (\d+\.\d+)\b").unwrap();
        for page in &self.pages {
            let text = read(&self.root, page);
            for (number, line) in prose_lines(&text) {
                let Some(found) = heading.captures(line) else {
                    continue;
                };
                if !all.iter().any(|ex| ex.id == found[1]) {
                    problems.push(Problem {
                        file: page.clone(),
                        line: number,
                        message: format!(
                            "exercise {} has no tests: add them as \
                             exercises/<chapter>/tests/exercises/ex{}.rs",
                            &found[1],
                            found[1].replace('.', "_")
                        ),
                    });
                }
            }
        }
        problems
    }

    fn exercise_problems(&self, ex: &Exercise) -> Vec<Problem> {
        let mut problems = Vec::new();
        let at_header = |message: String| Problem {
            file: ex.tests.clone(),
            line: 2,
            message,
        };
        if !self.root.join(&ex.edit).is_file() {
            problems.push(at_header(format!(
                "the file to edit, {}, does not exist",
                ex.edit
            )));
        }
        if !self.root.join(ex.reference()).is_file() {
            problems.push(at_header(format!(
                "the reference solution, {}, does not exist",
                ex.reference()
            )));
        }
        let prefix = format!("src/ch{:02}-", ex.chapter());
        let Some(page) = self
            .pages
            .iter()
            .find(|page| page.to_string_lossy().starts_with(&prefix))
        else {
            problems.push(at_header(format!(
                "exercise {} has no chapter page: there is no {prefix}*.md",
                ex.id
            )));
            return problems;
        };
        let text = read(&self.root, page);
        let lines: Vec<&str> = text.lines().collect();
        let prose = prose_lines(&text);
        let wanted = format!("### Exercise {}: {}", ex.id, ex.title);
        let Some(start) = prose.iter().position(|(_, line)| line.trim_end() == wanted) else {
            problems.push(Problem {
                file: ex.tests.clone(),
                line: 1,
                message: format!(
                    "exercise {} is not on {}: add a section `{wanted}` under `## Exercises` \
                     (the heading and this header must agree)",
                    ex.id,
                    page.display()
                ),
            });
            return problems;
        };
        let heading_line = prose[start].0;
        // The section runs to the next heading of level 2 or 3.
        let end_line = prose[start + 1..]
            .iter()
            .find(|(_, line)| line.starts_with("## ") || line.starts_with("### "))
            .map_or(lines.len() + 1, |(number, _)| *number);
        let section = &lines[heading_line - 1..end_line - 1];
        let at_heading = |message: String| Problem {
            file: page.clone(),
            line: heading_line,
            message,
        };
        let command = format!("cargo xtask exercise {}", ex.id);
        if !section
            .iter()
            .any(|line| line.trim_end().ends_with(&command))
        {
            problems.push(at_heading(format!(
                "exercise {} does not show the command that checks it: `$ {command}`",
                ex.id
            )));
        }
        if !section.iter().any(|line| line.contains(&ex.edit)) {
            problems.push(at_heading(format!(
                "exercise {} does not name the file to edit, `{}`",
                ex.id, ex.edit
            )));
        }
        let reference = Path::new(&ex.reference()).to_owned();
        let Some(include) = self.includes.iter().find(|inc| {
            inc.page == *page
                && inc.target == reference
                && (heading_line..end_line).contains(&inc.line)
        }) else {
            problems.push(at_heading(format!(
                "exercise {} does not show its reference solution: include {} \
                 inside <details>",
                ex.id,
                reference.display()
            )));
            return problems;
        };
        // Inside <details>: the last tag before the include opens one, and
        // a closing tag follows it within the section.
        let before = &lines[heading_line - 1..include.line - 1];
        let opened = before
            .iter()
            .rev()
            .map(|line| line.trim())
            .find(|line| line.starts_with("<details") || line.starts_with("</details>"))
            .is_some_and(|tag| tag.starts_with("<details"));
        let closed = lines[include.line..end_line - 1]
            .iter()
            .any(|line| line.trim().starts_with("</details>"));
        if !(opened && closed) {
            problems.push(Problem {
                file: page.clone(),
                line: include.line,
                message: format!(
                    "the reference solution of exercise {} is shown inline: put it \
                     inside <details> … </details>, one click away",
                    ex.id
                ),
            });
        }
        problems
    }

    /// Every chapter page (`src/chNN-*.md` in SUMMARY.md) ends with a
    /// `## Exercises` section of two to four exercises.
    pub fn chapters_end_with_exercises(&self) -> Vec<Problem> {
        let chapter = Regex::new(r"^ch\d\d-").unwrap();
        let mut problems = Vec::new();
        for entry in self.summary() {
            let Some(path) = entry.path else { continue };
            let name = Path::new(&path).file_name().unwrap_or_default();
            if !chapter.is_match(&name.to_string_lossy()) {
                continue;
            }
            let page = Path::new("src").join(&path);
            let text = read(&self.root, &page);
            let prose = prose_lines(&text);
            let Some(start) = prose
                .iter()
                .position(|(_, line)| line.trim_end() == "## Exercises")
            else {
                problems.push(Problem {
                    file: page,
                    line: 1,
                    message: "this chapter has no `## Exercises` section: every chapter \
                              ends with 2 to 4 exercises (see the testing appendix)"
                        .into(),
                });
                continue;
            };
            let at = prose[start].0;
            let rest = &prose[start + 1..];
            if let Some((number, _)) = rest.iter().find(|(_, line)| line.starts_with("## ")) {
                problems.push(Problem {
                    file: page.clone(),
                    line: *number,
                    message: "a section follows `## Exercises`: the exercises end the chapter"
                        .into(),
                });
            }
            let count = rest
                .iter()
                .filter(|(_, line)| line.starts_with("### Exercise "))
                .count();
            if !(2..=4).contains(&count) {
                problems.push(Problem {
                    file: page,
                    line: at,
                    message: format!("{count} exercises here; a chapter ends with 2 to 4"),
                });
            }
        }
        problems
    }

    /// Every benchmark suite (`listings/<chapter>/bench/<suite>.rs`) has a
    /// recorded run (`<suite>.tsv`) whose table (`<suite>.md`) is exactly
    /// what the data renders to and is shown on a page, with its chart
    /// (`src/img/bench/<suite>.svg`); and the chapter's tests run the
    /// suite's quick mode, so its code cannot rot between recorded runs.
    pub fn bench_results_agree_with_pages(&self) -> Vec<Problem> {
        let shown: BTreeSet<&Path> = self
            .includes
            .iter()
            .map(|inc| inc.target.as_path())
            .collect();
        let pages: Vec<String> = self
            .pages
            .iter()
            .map(|page| read(&self.root, page))
            .collect();
        let mut problems = Vec::new();
        for suite in self.listing_files("bench", "rs") {
            let name = suite.file_stem().unwrap().to_string_lossy().into_owned();
            let tsv = suite.with_extension("tsv");
            let md = suite.with_extension("md");
            let mut problem = |file: &Path, message: String| {
                problems.push(Problem {
                    file: file.to_owned(),
                    line: 1,
                    message,
                })
            };
            let Ok(data) = fs::read_to_string(self.root.join(&tsv)) else {
                problem(
                    &suite,
                    format!("suite {name} has no recorded run: run `cargo xtask bench {name}`"),
                );
                continue;
            };
            match bench::parse(&data) {
                Err(why) => problem(&tsv, format!("not a results file: {why}")),
                Ok(results) => {
                    let table = fs::read_to_string(self.root.join(&md)).unwrap_or_default();
                    if table != bench::to_markdown(&results) {
                        problem(
                            &md,
                            format!(
                                "this table does not match {}: rerun `cargo xtask bench {name}` \
                                 rather than editing either file",
                                tsv.display()
                            ),
                        );
                    }
                }
            }
            if !shown.contains(md.as_path()) {
                problem(
                    &md,
                    "no page shows this table: include it where the chapter discusses the run"
                        .into(),
                );
            }
            let svg = format!("img/bench/{name}.svg");
            if !self.root.join("src").join(&svg).is_file() {
                problem(
                    &suite,
                    format!("suite {name} has no chart src/{svg}: run `cargo xtask bench {name}`"),
                );
            } else if !pages.iter().any(|text| text.contains(&svg)) {
                problem(
                    Path::new(&format!("src/{svg}")),
                    "no page shows this chart".into(),
                );
            }
            let chapter = suite
                .parent()
                .and_then(Path::parent)
                .unwrap_or(Path::new(""));
            let runs_quick = walk(&self.root.join(chapter).join("tests"))
                .iter()
                .any(|test| {
                    fs::read_to_string(test).is_ok_and(|code| {
                        code.contains(&format!("bench_{name}")) && code.contains("--quick")
                    })
                });
            if !runs_quick {
                problem(
                    &suite,
                    format!(
                        "no test of {} runs `bench_{name} --quick`: add one, so the suite \
                         cannot rot between recorded runs",
                        chapter.display()
                    ),
                );
            }
        }
        problems
    }

    /// `listings/<chapter>/<dir>/**.<ext>`, except the harness; relative to
    /// the root, sorted.
    fn listing_files(&self, dir: &str, ext: &str) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let Ok(chapters) = fs::read_dir(self.root.join("listings")) else {
            return files;
        };
        for chapter in chapters.flatten() {
            if chapter.file_name() == "harness" {
                continue;
            }
            for file in walk(&chapter.path().join(dir)) {
                if file.extension().is_some_and(|found| found == ext) {
                    files.push(relative(&self.root, &file));
                }
            }
        }
        files.sort();
        files
    }
}

/// The lines of a markdown page outside code fences, numbered from 1.
fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut fence: Option<String> = None;
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        match &fence {
            Some(open) if marker.starts_with(open.as_str()) => fence = None,
            Some(_) => {}
            None if marker.len() >= 3 => fence = Some(marker),
            None => lines.push((index + 1, line)),
        }
    }
    lines
}

/// `text` without its `code spans`, which may contain brackets that are
/// not links.
fn strip_code_spans(text: &str) -> String {
    let mut out = String::new();
    for (index, part) in text.split('`').enumerate() {
        if index % 2 == 0 {
            out.push_str(part);
        }
    }
    out
}

/// The ids mdBook 0.5 gives a page's headings: the heading's text,
/// lower-cased, spaces as `-`, other punctuation dropped, `-1`, `-2`… for
/// repeats; or an explicit `{#id}`.
pub fn heading_ids(text: &str) -> BTreeSet<String> {
    let link = Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap();
    let tag = Regex::new(r"<[^>]+>").unwrap();
    let explicit = Regex::new(r"\{#([^}\s]+)[^}]*\}\s*$").unwrap();
    let mut ids = BTreeSet::new();
    for (_, line) in prose_lines(text) {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let heading = line[hashes..].trim().trim_end_matches('#').trim();
        let id = match explicit.captures(heading) {
            Some(found) => found[1].to_owned(),
            None => {
                let text = link.replace_all(heading, "$1");
                let text = tag.replace_all(&text, "");
                text.trim()
                    .to_lowercase()
                    .chars()
                    .filter_map(|c| match c {
                        c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
                        c if c.is_whitespace() => Some('-'),
                        _ => None,
                    })
                    .collect()
            }
        };
        let mut unique = id.clone();
        let mut counter = 1;
        while !ids.insert(unique.clone()) {
            unique = format!("{id}-{counter}");
            counter += 1;
        }
    }
    ids
}

/// Every file below `dir`, recursively; nothing if it does not exist.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn relative(root: &Path, file: &Path) -> PathBuf {
    file.strip_prefix(root).unwrap_or(file).to_owned()
}

fn read(root: &Path, file: &Path) -> String {
    fs::read_to_string(root.join(file)).unwrap_or_default()
}
