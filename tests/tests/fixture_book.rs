//! Each integrity check catches what it guards against: a small fixture book
//! (tests/fixtures/book) passes every check; each test copies it, breaks one
//! thing, and expects exactly one problem naming the file and line.

use std::fs;
use std::path::{Path, PathBuf};

use book_tests::integrity::{Problem, check_book};

/// A fresh copy of the fixture book in a temp dir.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("book");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/book"),
        &root,
    );
    (tmp, root)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn append(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    let mut old = fs::read_to_string(&path).unwrap_or_default();
    old.push_str(text);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, old).unwrap();
}

/// The single problem found, checked to be at `file:line` and to say `says`.
#[track_caller]
fn expect_one(root: &Path, file: &str, line: usize, says: &str) -> Problem {
    let problems = check_book(root);
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems.len(),
        1,
        "expected one problem, got:\n{}",
        shown.join("\n")
    );
    let problem = problems.into_iter().next().unwrap();
    assert_eq!(problem.file, Path::new(file), "{problem}");
    assert_eq!(problem.line, line, "{problem}");
    assert!(problem.message.contains(says), "{problem}");
    assert!(problem.to_string().starts_with(&format!("{file}:{line}: ")));
    problem
}

#[test]
fn the_fixture_book_is_clean() {
    let (_tmp, root) = fixture();
    assert_eq!(check_book(&root), vec![]);
}

#[test]
fn a_renamed_anchor_is_reported_at_the_include() {
    let (_tmp, root) = fixture();
    edit(
        &root,
        "listings/ch01-demo/src/bin/hello.rs",
        "ANCHOR: main",
        "ANCHOR: body",
    );
    edit(
        &root,
        "listings/ch01-demo/src/bin/hello.rs",
        "ANCHOR_END: main",
        "ANCHOR_END: body",
    );
    expect_one(
        &root,
        "src/hello.md",
        6,
        "anchor `main` is not in listings/ch01-demo/src/bin/hello.rs",
    );
}

#[test]
fn a_missing_anchor_end_is_reported_at_the_include() {
    let (_tmp, root) = fixture();
    edit(
        &root,
        "listings/ch01-demo/src/bin/hello.rs",
        "// ANCHOR_END: main\n",
        "",
    );
    expect_one(&root, "src/hello.md", 6, "ANCHOR_END: main");
}

#[test]
fn an_include_of_a_missing_file_is_reported() {
    let (_tmp, root) = fixture();
    edit(&root, "src/hello.md", "bin/hello.rs", "bin/helo.rs");
    let problems = check_book(&root);
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "src/hello.md:6: `../listings/ch01-demo/src/bin/helo.rs:main` names \
             listings/ch01-demo/src/bin/helo.rs, which does not exist",
            // And so the real listing is no longer shown anywhere.
            "listings/ch01-demo/src/bin/hello.rs:1: no page shows this listing: include it \
             in its chapter with `{{#include ../listings/ch01-demo/src/bin/hello.rs:anchor}}` \
             (or delete it)",
        ]
    );
}

#[test]
fn a_chapter_absent_from_summary_is_reported() {
    let (_tmp, root) = fixture();
    append(&root, "src/forgotten.md", "# Forgotten\n");
    expect_one(&root, "src/forgotten.md", 1, "not in src/SUMMARY.md");
}

#[test]
fn a_summary_entry_without_its_file_is_reported() {
    let (_tmp, root) = fixture();
    append(&root, "src/SUMMARY.md", "- [Gone](gone.md)\n");
    expect_one(&root, "src/SUMMARY.md", 8, "gone.md, which does not exist");
}

#[test]
fn a_listing_no_page_shows_is_reported() {
    let (_tmp, root) = fixture();
    append(
        &root,
        "listings/ch01-demo/src/bin/unseen.rs",
        "fn main() {}\n",
    );
    expect_one(
        &root,
        "listings/ch01-demo/src/bin/unseen.rs",
        1,
        "no page shows this listing",
    );
}

#[test]
fn a_stale_output_file_is_reported() {
    let (_tmp, root) = fixture();
    // The listing's test no longer compares this output with a real run.
    edit(
        &root,
        "listings/ch01-demo/tests/hello.rs",
        "output/hello.txt",
        "output/greeting.txt",
    );
    expect_one(
        &root,
        "listings/ch01-demo/output/hello.txt",
        1,
        "stale output file",
    );
}

#[test]
fn an_output_file_no_page_shows_is_reported() {
    let (_tmp, root) = fixture();
    edit(
        &root,
        "src/hello.md",
        "{{#include ../listings/ch01-demo/output/hello.txt}}",
        "hello",
    );
    expect_one(
        &root,
        "listings/ch01-demo/output/hello.txt",
        1,
        "no page shows this output file",
    );
}

#[test]
fn an_untagged_fence_is_reported() {
    let (_tmp, root) = fixture();
    append(&root, "src/hello.md", "\nThen list it:\n\n```\n$ ls\n```\n");
    expect_one(&root, "src/hello.md", 22, "code fence without a language");
}

#[test]
fn a_line_number_include_is_reported() {
    let (_tmp, root) = fixture();
    edit(&root, "src/hello.md", "hello.rs:main", "hello.rs:2:4");
    expect_one(&root, "src/hello.md", 6, "includes by line numbers");
}

#[test]
fn rust_ignore_without_an_include_is_reported() {
    let (_tmp, root) = fixture();
    append(
        &root,
        "src/intro.md",
        "\n```rust,ignore\nlet untested = 1;\n```\n",
    );
    expect_one(
        &root,
        "src/intro.md",
        12,
        "only for fences that include a listing",
    );
}

#[test]
fn an_unclosed_fence_is_reported() {
    let (_tmp, root) = fixture();
    append(&root, "src/intro.md", "\n```text\nnever closed\n");
    expect_one(&root, "src/intro.md", 12, "never closed");
}

#[test]
fn a_link_to_a_missing_page_is_reported() {
    let (_tmp, root) = fixture();
    edit(&root, "src/intro.md", "(hello.md#hello)", "(helo.md#hello)");
    expect_one(
        &root,
        "src/intro.md",
        10,
        "points at src/helo.md, which does not exist",
    );
}

#[test]
fn a_link_to_a_renamed_heading_is_reported() {
    let (_tmp, root) = fixture();
    edit(&root, "src/hello.md", "# Hello", "# Greetings");
    expect_one(
        &root,
        "src/intro.md",
        10,
        "has no heading with the id `hello`",
    );
}

#[test]
fn heading_ids_follow_mdbook() {
    let ids = book_tests::integrity::heading_ids(
        "# Sockets\n## `recv_from` and [UDP](x.md)\n## Sockets\n```text\n# not a heading\n```\n\
         ## Custom {#mine}\n### 粘包 (message boundaries)\n",
    );
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "mine",
            "recv_from-and-udp",
            "sockets",
            "sockets-1",
            "粘包-message-boundaries"
        ]
    );
}

#[test]
fn an_exercise_missing_from_its_page_is_reported_at_its_tests() {
    let (_tmp, root) = fixture();
    edit(
        &root,
        "exercises/ch01-demo/tests/exercises/ex1_2.rs",
        "Exercise 1.2: Shout",
        "Exercise 1.2: Whisper",
    );
    // The page's heading still names exercise 1.2, which has tests: only
    // the title disagrees.
    let problems: Vec<String> = check_book(&root).iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with(
            "exercises/ch01-demo/tests/exercises/ex1_2.rs:1: exercise 1.2 is not on \
             src/ch01-demo.md: add a section `### Exercise 1.2: Whisper`"
        ),
        "{problems:#?}"
    );
}

#[test]
fn an_exercise_heading_without_tests_is_reported() {
    let (_tmp, root) = fixture();
    edit(
        &root,
        "src/ch01-demo.md",
        "### Exercise 1.2: Shout",
        "### Exercise 1.3: Shout",
    );
    // Both ends are reported: the heading without tests, and the tests
    // without a heading.
    let shown: Vec<String> = check_book(&root).iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "exercises/ch01-demo/tests/exercises/ex1_2.rs:1: exercise 1.2 is not on \
             src/ch01-demo.md: add a section `### Exercise 1.2: Shout` under `## Exercises` \
             (the heading and this header must agree)",
            "src/ch01-demo.md:24: exercise 1.3 has no tests: add them as \
             exercises/<chapter>/tests/exercises/ex1_3.rs",
        ]
    );
}

#[test]
fn an_exercise_without_its_command_is_reported() {
    let (_tmp, root) = fixture();
    edit(
        &root,
        "src/ch01-demo.md",
        "$ cargo xtask exercise 1.1",
        "$ cargo test",
    );
    expect_one(&root, "src/ch01-demo.md", 7, "`$ cargo xtask exercise 1.1`");
}

#[test]
fn an_inline_solution_is_reported() {
    let (_tmp, root) = fixture();
    edit(
        &root,
        "src/ch01-demo.md",
        "<details>\n<summary>A solution</summary>\n\n```rust,ignore\n\
         {{#include ../exercises/ch01-demo/solutions/shout.rs}}",
        "```rust,ignore\n{{#include ../exercises/ch01-demo/solutions/shout.rs}}",
    );
    expect_one(&root, "src/ch01-demo.md", 33, "shown inline");
}

#[test]
fn an_exercise_without_its_solution_is_reported() {
    let (_tmp, root) = fixture();
    edit(
        &root,
        "src/ch01-demo.md",
        "{{#include ../exercises/ch01-demo/solutions/bin/greet.rs}}",
        "{{#include ../exercises/ch01-demo/solutions/shout.rs}}",
    );
    expect_one(
        &root,
        "src/ch01-demo.md",
        7,
        "does not show its reference solution",
    );
}

#[test]
fn a_missing_starter_is_reported() {
    let (_tmp, root) = fixture();
    fs::remove_file(root.join("exercises/ch01-demo/src/shout.rs")).unwrap();
    expect_one(
        &root,
        "exercises/ch01-demo/tests/exercises/ex1_2.rs",
        2,
        "the file to edit, exercises/ch01-demo/src/shout.rs, does not exist",
    );
}

#[test]
fn a_chapter_without_exercises_is_reported() {
    let (_tmp, root) = fixture();
    append(&root, "src/SUMMARY.md", "- [More](ch02-more.md)\n");
    append(&root, "src/ch02-more.md", "# More\n\nNo exercises yet.\n");
    expect_one(&root, "src/ch02-more.md", 1, "no `## Exercises` section");
}

#[test]
fn a_chapter_with_one_exercise_is_reported() {
    let (_tmp, root) = fixture();
    fs::remove_file(root.join("exercises/ch01-demo/tests/exercises/ex1_2.rs")).unwrap();
    let text = fs::read_to_string(root.join("src/ch01-demo.md")).unwrap();
    let cut = text.find("### Exercise 1.2").unwrap();
    fs::write(root.join("src/ch01-demo.md"), &text[..cut]).unwrap();
    expect_one(
        &root,
        "src/ch01-demo.md",
        5,
        "1 exercises here; a chapter ends with 2 to 4",
    );
}

#[test]
fn a_section_after_the_exercises_is_reported() {
    let (_tmp, root) = fixture();
    append(&root, "src/ch01-demo.md", "\n## Afterword\n");
    expect_one(
        &root,
        "src/ch01-demo.md",
        41,
        "the exercises end the chapter",
    );
}

#[test]
fn a_benchmark_table_edited_by_hand_is_reported() {
    let (_tmp, root) = fixture();
    edit(
        &root,
        "listings/ch01-demo/bench/speed.md",
        "12,345",
        "99,999",
    );
    expect_one(
        &root,
        "listings/ch01-demo/bench/speed.md",
        1,
        "does not match listings/ch01-demo/bench/speed.tsv",
    );
}

#[test]
fn a_benchmark_suite_without_a_recorded_run_is_reported() {
    let (_tmp, root) = fixture();
    append(&root, "listings/ch01-demo/bench/slow.rs", "fn main() {}\n");
    let shown: Vec<String> = check_book(&root).iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "listings/ch01-demo/bench/slow.rs:1: suite slow has no recorded run: \
          run `cargo xtask bench slow`"
        ]
    );
}

#[test]
fn a_benchmark_suite_no_test_runs_quickly_is_reported() {
    let (_tmp, root) = fixture();
    edit(
        &root,
        "listings/ch01-demo/tests/hello.rs",
        "\"--quick\"",
        "\"--full\"",
    );
    expect_one(
        &root,
        "listings/ch01-demo/bench/speed.rs",
        1,
        "runs `bench_speed --quick`",
    );
}
