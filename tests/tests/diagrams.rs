//! Every diagram is legible on the white card that `theme/book.css` puts
//! behind it in every theme; and the check catches the ways a diagram can
//! fail that, each on a copy of the fixture book.

use std::fs;
use std::path::{Path, PathBuf};

use book_tests::diagrams::check;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn every_diagram_is_legible_in_every_theme() {
    let problems: Vec<String> = check(root()).iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// A fresh copy of the fixture book in a temp dir.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    copy_dir(&root().join("tests/fixtures/book"), &book);
    (tmp, book)
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

/// A diagram of 400 × 200 with `body` inside, as an author might add it.
fn add_diagram(book: &Path, name: &str, body: &str) {
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 200\" \
         width=\"400\" height=\"200\" font-family=\"sans-serif\" font-size=\"15\">\n\
         <title>A new diagram</title>\n{body}\n</svg>\n"
    );
    fs::write(book.join("src/img").join(name), svg).unwrap();
}

/// The single problem found, checked to be at `file:line` and to say each
/// of `says`.
#[track_caller]
fn expect_one(book: &Path, file: &str, line: usize, says: &[&str]) {
    let problems = check(book);
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems.len(),
        1,
        "expected one problem, got:\n{}",
        shown.join("\n")
    );
    let problem = &problems[0];
    assert_eq!(problem.file, Path::new(file), "{problem}");
    assert_eq!(problem.line, line, "{problem}");
    for text in says {
        assert!(problem.message.contains(text), "no `{text}` in: {problem}");
    }
}

#[track_caller]
fn expect_none(book: &Path) {
    let problems: Vec<String> = check(book).iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn the_fixture_diagram_is_legible() {
    // Text outside and inside a box, a tspan, white on dark blue, an arrow
    // with its arrowhead, style rules, and text turned by a transform.
    let (_tmp, book) = fixture();
    expect_none(&book);
}

#[test]
fn a_new_diagram_with_grey_labels_on_the_page_is_reported() {
    let (_tmp, book) = fixture();
    add_diagram(
        &book,
        "ch06-new.svg",
        r##"<rect x="10" y="10" width="100" height="40" fill="#dbe9f7" stroke="#4a79a8"/>
<text x="10" y="80" fill="#999">bytes sent</text>"##,
    );
    expect_one(
        &book,
        "src/img/ch06-new.svg",
        4,
        &[
            "text \"bytes sent\" is #999999 on the white card (#ffffff)",
            "contrast 2.85:1",
            "needs 4.5:1",
        ],
    );
    // The testing appendix shows this very message.
    let shown = check(&book)[0].to_string();
    let appendix = fs::read_to_string(root().join("src/appendix/testing.md")).unwrap();
    assert!(
        appendix.contains(&shown),
        "the appendix should show:\n{shown}"
    );
}

#[test]
fn white_text_drawn_for_a_dark_page_is_reported() {
    // What a diagram drawn for a dark theme looks like on the white card.
    let (_tmp, book) = fixture();
    add_diagram(
        &book,
        "ch07-dark.svg",
        r##"<text x="10" y="30" fill="#fff">pipe</text>"##,
    );
    expect_one(
        &book,
        "src/img/ch07-dark.svg",
        3,
        &["\"pipe\" is #ffffff", "1.00:1"],
    );
}

#[test]
fn dark_text_on_a_dark_box_is_reported() {
    let (_tmp, book) = fixture();
    add_diagram(
        &book,
        "ch06-box.svg",
        r##"<rect x="10" y="10" width="200" height="60" fill="#2b5797"/>
<text x="20" y="45" fill="#333">kernel</text>"##,
    );
    expect_one(
        &book,
        "src/img/ch06-box.svg",
        4,
        &["\"kernel\" is #333333 on #2b5797"],
    );
}

#[test]
fn a_style_rule_is_followed_and_a_style_attribute_overrides_it() {
    let (_tmp, book) = fixture();
    add_diagram(
        &book,
        "ch06-style.svg",
        r##"<style>
  g .note { fill: #aaa; }
  .note { fill: #111; }
</style>
<g><text class="note" x="10" y="30">more specific rule wins</text></g>
<g><text class="note" x="10" y="60" style="fill: #222">the style attribute wins</text></g>"##,
    );
    expect_one(
        &book,
        "src/img/ch06-style.svg",
        7,
        &["\"more specific rule wins\" is #aaaaaa"],
    );
}

#[test]
fn a_transform_moves_text_onto_what_is_behind_it() {
    let (_tmp, book) = fixture();
    // Without the translate the text would be on the white card.
    add_diagram(
        &book,
        "ch06-moved.svg",
        r##"<rect x="200" y="10" width="150" height="60" fill="#111"/>
<g transform="translate(200 0)"><text x="10" y="45" fill="#333">moved</text></g>"##,
    );
    expect_one(
        &book,
        "src/img/ch06-moved.svg",
        4,
        &["\"moved\" is #333333 on #111111"],
    );
}

#[test]
fn faint_text_is_reported_through_its_opacity() {
    let (_tmp, book) = fixture();
    add_diagram(
        &book,
        "ch06-faint.svg",
        r##"<g opacity="0.4"><text x="10" y="30" fill="#000">faint</text></g>"##,
    );
    expect_one(
        &book,
        "src/img/ch06-faint.svg",
        3,
        &["\"faint\" is #999999"],
    );
}

#[test]
fn text_on_a_gradient_is_held_against_every_stop() {
    let (_tmp, book) = fixture();
    add_diagram(
        &book,
        "ch06-gradient.svg",
        r##"<defs><linearGradient id="fade"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#203040"/></linearGradient></defs>
<rect x="0" y="0" width="400" height="100" fill="url(#fade)"/>
<text x="10" y="50" fill="#333">on the gradient</text>"##,
    );
    expect_one(&book, "src/img/ch06-gradient.svg", 5, &["on #203040"]);
}

#[test]
fn a_pale_line_is_reported() {
    let (_tmp, book) = fixture();
    add_diagram(
        &book,
        "ch06-line.svg",
        r##"<line x1="10" y1="10" x2="300" y2="10" stroke="#ccc" stroke-width="2"/>"##,
    );
    expect_one(
        &book,
        "src/img/ch06-line.svg",
        3,
        &["the line <line> is #cccccc", "need 3:1"],
    );
}

#[test]
fn a_pale_arrowhead_is_reported_where_it_is_defined() {
    let (_tmp, book) = fixture();
    add_diagram(
        &book,
        "ch06-arrow.svg",
        r##"<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto">
<path d="M 0 0 L 10 5 L 0 10 z" fill="#ddd"/>
</marker></defs>
<line x1="10" y1="50" x2="300" y2="50" stroke="#333" marker-end="url(#head)"/>"##,
    );
    expect_one(
        &book,
        "src/img/ch06-arrow.svg",
        4,
        &["the arrowhead or marker <path> is #dddddd"],
    );
}

#[test]
fn a_diagram_that_adapts_to_the_colour_scheme_is_reported() {
    let (_tmp, book) = fixture();
    add_diagram(
        &book,
        "ch06-adapts.svg",
        r##"<style>
@media (prefers-color-scheme: dark) { text { fill: #eee; } }
</style>
<text x="10" y="30">adapts</text>"##,
    );
    expect_one(
        &book,
        "src/img/ch06-adapts.svg",
        4,
        &["restyles itself for the system's colour scheme"],
    );
}

#[test]
fn a_diagram_inlined_in_a_page_is_reported() {
    let (_tmp, book) = fixture();
    let page = book.join("src/hello.md");
    let mut text = fs::read_to_string(&page).unwrap();
    let line = text.lines().count() + 2;
    text.push_str("\n<svg viewBox=\"0 0 10 10\"><text>inline</text></svg>\n");
    fs::write(&page, text).unwrap();
    expect_one(
        &book,
        "src/hello.md",
        line,
        &["`<svg` puts a picture", "![alt text](img/<name>.svg)"],
    );
}

#[test]
fn a_broken_diagram_is_reported() {
    let (_tmp, book) = fixture();
    add_diagram(&book, "ch06-broken.svg", "<text x=\"1\" y=\"2\">unclosed");
    expect_one(
        &book,
        "src/img/ch06-broken.svg",
        4,
        &["not well-formed XML"],
    );
}
