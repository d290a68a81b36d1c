#!/usr/bin/env bash
# Everything CI checks, in the order a failure is cheapest to find.
# `cargo xtask check` runs exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "tests: listings, output files, doctests, integrity checks"
# BOOK_FULL_SEARCH: the browser test searches the built book for every
# glossary term and every Chinese term of the chapters, not only its named
# queries.
BOOK_FULL_SEARCH=1 cargo test --workspace --locked

step "exercises: every test fails on its untouched starter"
cargo xtask exercise --starters-fail

step "the book (mdBook warnings are errors)"
cargo xtask build
