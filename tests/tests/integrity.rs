//! The integrity checks, run on the book itself. A failure names the file
//! and line to fix.

use std::path::Path;

use book_tests::integrity::{Book, Problem};

fn book() -> Book {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    Book::load(root).unwrap_or_else(|problem| panic!("{problem}"))
}

#[track_caller]
fn assert_none(problems: Vec<Problem>) {
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(shown.is_empty(), "\n{}\n", shown.join("\n"));
}

#[test]
fn every_summary_entry_exists() {
    assert_none(book().summary_entries_exist());
}

#[test]
fn every_page_is_in_summary() {
    assert_none(book().chapters_are_in_summary());
}

#[test]
fn every_include_and_anchor_resolves_without_line_numbers() {
    assert_none(book().includes_resolve());
}

#[test]
fn every_code_fence_has_a_language() {
    assert_none(book().fences_have_a_language());
}

#[test]
fn every_link_and_anchor_resolves() {
    assert_none(book().links_resolve());
}

#[test]
fn every_listing_is_shown_in_the_book() {
    assert_none(book().listings_are_shown());
}

#[test]
fn every_output_file_is_shown_and_checked() {
    assert_none(book().output_files_are_shown_and_checked());
}

#[test]
fn every_exercise_is_on_its_page_with_its_solution_one_click_away() {
    assert_none(book().exercises_are_on_their_pages());
}

#[test]
fn every_chapter_ends_with_exercises() {
    assert_none(book().chapters_end_with_exercises());
}

#[test]
fn every_benchmark_table_agrees_with_its_recorded_run() {
    assert_none(book().bench_results_agree_with_pages());
}

#[test]
fn every_chapter_in_summary_runs_its_code_as_doctests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let summary = std::fs::read_to_string(root.join("src/SUMMARY.md")).unwrap();
    let chapters: Vec<String> = book_tests::summary::entries(&summary)
        .into_iter()
        .filter_map(|entry| entry.path)
        .collect();
    assert!(!chapters.is_empty());
    assert_eq!(book_tests::chapters::BRIDGED, chapters.as_slice());
}

/// Every binary has its own name across the workspace: two packages with
/// a binary of the same name overwrite each other in `target/debug/`, and
/// `cargo run --bin` and the tests' `CARGO_BIN_EXE_*` get whichever was
/// built last (chapters 10 and 11 both had an `echo_idle` once).
#[test]
fn every_binary_name_is_unique_in_the_workspace() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = harness::run(
        std::process::Command::new(cargo)
            .args([
                "metadata",
                "--no-deps",
                "--offline",
                "--format-version",
                "1",
            ])
            .current_dir(root),
    );
    out.assert_success();
    let text = out.stdout_text();
    // Each target is a flat JSON object; a binary's has "kind":["bin"].
    let target = regex::Regex::new(r#"\{[^{}]*"kind":\["bin"\][^{}]*\}"#).unwrap();
    let field = |object: &str, key: &str| {
        let pattern = format!(r#""{key}":"((?:[^"\\]|\\.)*)""#);
        regex::Regex::new(&pattern)
            .unwrap()
            .captures(object)
            .map(|c| c[1].to_owned())
    };
    let mut seen: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for found in target.find_iter(&text) {
        let name = field(found.as_str(), "name").expect("a target has a name");
        let path = field(found.as_str(), "src_path").expect("a target has a source");
        seen.entry(name).or_default().push(path);
    }
    assert!(seen.len() > 50, "too few binaries found: {seen:?}");
    let clashes: Vec<String> = seen
        .iter()
        .filter(|(_, paths)| paths.len() > 1)
        .map(|(name, paths)| format!("binary `{name}` is declared by {}", paths.join(" and ")))
        .collect();
    assert!(clashes.is_empty(), "\n{}\n", clashes.join("\n"));
}
