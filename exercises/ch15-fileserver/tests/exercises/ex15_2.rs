//! Exercise 15.2: Several ranges in one header
//! Edit: exercises/ch15-fileserver/src/ranges.rs
//! Hint: Split the list at commas and parse each piece as a one-range header with the library's `parse_range`; a piece it ignores makes the whole header ignored, unsatisfiable pieces are dropped.

#[cfg(not(feature = "reference"))]
use ex15_fileserver::ranges::{Ranges, parse_ranges};
#[cfg(feature = "reference")]
use ex15_fileserver::ranges_reference::{Ranges, parse_ranges};

#[test]
fn a_list_of_ranges_in_the_clients_order() {
    assert_eq!(
        parse_ranges("bytes=0-99, 200-, -50", 1000),
        Ranges::Parts(vec![(0, 99), (200, 999), (950, 999)])
    );
    assert_eq!(parse_ranges("bytes=5-9", 10), Ranges::Parts(vec![(5, 9)]));
    assert_eq!(
        parse_ranges("bytes=8-20,0-0", 10),
        Ranges::Parts(vec![(8, 9), (0, 0)])
    );
}

#[test]
fn ranges_past_the_end_are_dropped_or_unsatisfiable() {
    assert_eq!(
        parse_ranges("bytes=0-1,50-60", 10),
        Ranges::Parts(vec![(0, 1)])
    );
    assert_eq!(parse_ranges("bytes=10-,20-30", 10), Ranges::Unsatisfiable);
    assert_eq!(parse_ranges("bytes=-0", 10), Ranges::Unsatisfiable);
}

#[test]
fn bad_syntax_or_another_unit_is_ignored() {
    for header in [
        "items=0-1",
        "bytes=0-1,x",
        "bytes=5-2",
        "bytes=",
        "bytes=0-1,,2-3",
    ] {
        assert_eq!(parse_ranges(header, 10), Ranges::Ignore, "{header}");
    }
}
