//! Listing 12-3: literals in three bases, as Python reads and prints them.

use harness::check_output;

use crate::bin;
use crate::common::{listing, python, script, stdout_of};

const BOOK: &[&str] = &["0b1010_1010", "0o644", "0xFF", "-5", "-0x8000"];

#[test]
fn bases_output_matches_the_book() {
    check_output!("../../output/bases.txt", &stdout_of(bin!("bases"), BOOK));
}

#[test]
fn pythons_int_bin_oct_and_hex_print_the_same_table() {
    let inputs = [
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
    let mut args = vec![script("bases.py")];
    args.extend(inputs.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(stdout_of(bin!("bases"), &inputs), python(&args));
}

#[test]
fn bases_refuses_what_python_refuses() {
    let refused = [
        "010", "1__0", "_1", "1_", "0b", "0x-1", "0o8", "1e3", "0b2", "--5", "", "0x_", "12a",
    ];
    for text in refused {
        let out = listing(bin!("bases"), &[text]);
        assert_eq!(out.code(), Some(1), "{text:?}: {out}");
        assert!(
            out.stderr_text().starts_with(&format!("bases: {text:?}: ")),
            "{out}"
        );
    }
    // Python's int(text, 0) raises ValueError for each of them.
    let code = "import sys
for text in sys.argv[1:]:
    try:
        int(text, 0)
        print('accepted', repr(text))
    except ValueError:
        print('ValueError')";
    let mut args = vec!["-c", code];
    args.extend(refused);
    assert_eq!(python(&args), "ValueError\n".repeat(refused.len()));
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
    let code = "import sys; print(int(sys.argv[1], 0))";
    assert_eq!(
        python(&["-c", code, "9223372036854775808"]),
        "9223372036854775808\n"
    );
}

#[test]
fn bases_without_arguments_prints_usage() {
    let out = listing(bin!("bases"), &[]);
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr_text().starts_with("usage: bases NUMBER..."));
}
