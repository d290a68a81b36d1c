//! The book's tests.
//!
//! - [`chapters`]: every chapter in `src/SUMMARY.md`, as documentation, so
//!   that `cargo test` runs each Rust code block of the book as a doctest.
//! - [`integrity`]: the checks that keep the book, its listings and their
//!   output files in step (run by `tests/integrity.rs`).
//! - [`diagrams`]: every SVG under `src/img/` is legible on the white card
//!   that `theme/book.css` puts behind it in every theme (run by
//!   `tests/diagrams.rs`).
//! - [`rendered`]: the built book served on a loopback port and driven in
//!   headless Chromium (run by `tests/rendered.rs`).

pub mod bench;
pub mod diagrams;
pub mod exercises;
pub mod integrity;
pub mod rendered;
pub mod summary;

/// The chapters of the book. Each module's documentation is a chapter file.
pub mod chapters {
    include!(concat!(env!("OUT_DIR"), "/chapters.rs"));
}
