//! Listing 12-3: literals in three bases, as Python reads and prints them.

use harness::check_output;

use crate::bin;
use crate::common::{Job, listing, python, stdout_of};

const BOOK: &[&str] = &["0b1010_1010", "0o644", "0xFF", "-5", "-0x8000"];

/// Sixteen literals that Python's `int(text, 0)` and the listing accept.
const ACCEPTED: [&str; 16] = [
    "0b1010_1010",
    "0o644",
    "0xFF",
    "-5",
    "-0x8000",
    "0x_7fff",
    "+0B11",
    "0",
    "00",
    "-0",
    "1_000_000",
    "0o1_7",
    "-9223372036854775808",
    "0x7FFF_FFFF_FFFF_FFFF",
    "32768",
    "-32769",
];

/// Thirteen that both refuse.
const REFUSED: [&str; 13] = [
    "010", "1__0", "_1", "1_", "0b", "0x-1", "0o8", "1e3", "0b2", "--5", "", "0x_", "12a",
];

pub fn python_jobs() -> Vec<Job> {
    let refused = "import sys
for text in sys.argv[1:]:
    try:
        int(text, 0)
        print('accepted', repr(text))
    except ValueError:
        print('ValueError')";
    vec![
        Job::script("bases.py", "bases.py", &ACCEPTED),
        Job::code("int refuses", refused, &REFUSED),
        Job::code(
            "int beyond i64",
            "import sys; print(int(sys.argv[1], 0))",
            &["9223372036854775808"],
        ),
        Job::code(
            "int skips spaces, reads any digits",
            "import sys\nfor text in sys.argv[1:]:\n    print(int(text, 0))",
            &SPACES_AND_DIGITS,
        ),
    ]
}

#[test]
fn bases_output_matches_the_book() {
    check_output!("../../output/bases.txt", &stdout_of(bin!("bases"), BOOK));
}

#[test]
fn pythons_int_bin_oct_and_hex_print_the_same_table() {
    assert_eq!(stdout_of(bin!("bases"), &ACCEPTED), python("bases.py"));
}

#[test]
fn bases_refuses_what_python_refuses() {
    for text in REFUSED {
        let out = listing(bin!("bases"), &[text]);
        assert_eq!(out.code(), Some(1), "{text:?}: {out}");
        assert!(
            out.stderr_text().starts_with(&format!("bases: {text:?}: ")),
            "{out}"
        );
    }
    // Python's int(text, 0) raises ValueError for each of them.
    assert_eq!(python("int refuses"), "ValueError\n".repeat(REFUSED.len()));
    // One bad argument does not stop the others.
    let out = listing(bin!("bases"), &["7", "010", "8"]);
    assert_eq!(out.code(), Some(1));
    assert_eq!(out.stdout_text().lines().count(), 3, "{out}");
}

#[test]
fn bases_stops_where_i64_stops_and_python_does_not() {
    let out = listing(bin!("bases"), &["9223372036854775808"]);
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        "bases: \"9223372036854775808\": not an integer literal: number too large to fit in target type\n"
    );
    assert_eq!(python("int beyond i64"), "9223372036854775808\n");
}

/// Python's `int` skips surrounding whitespace and reads the digits of
/// other scripts (Arabic-Indic, full-width); the listing takes neither.
const SPACES_AND_DIGITS: [&str; 3] = [" 0x1f\n", "\u{661}\u{662}", "\u{ff11}\u{ff12}"];

#[test]
fn bases_refuses_spaces_and_non_ascii_digits_that_python_reads() {
    assert_eq!(python("int skips spaces, reads any digits"), "31\n12\n12\n");
    for text in SPACES_AND_DIGITS {
        let out = listing(bin!("bases"), &[text]);
        assert_eq!(out.code(), Some(1), "{text:?}: {out}");
    }
}

#[test]
fn bases_without_arguments_prints_usage() {
    let out = listing(bin!("bases"), &[]);
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr_text().starts_with("usage: bases NUMBER..."));
}
