//! Exercise 15.1: All three HTTP date formats
//! Edit: exercises/ch15-fileserver/src/dates.rs
//! Hint: Turn the two obsolete forms into an IMF-fixdate and call the library's `parse_http_date` on it: it checks the numbers and the weekday for you.

#[cfg(not(feature = "reference"))]
use ex15_fileserver::dates::parse_any_date;
#[cfg(feature = "reference")]
use ex15_fileserver::dates_reference::parse_any_date;

#[test]
fn the_three_forms_of_one_date_agree() {
    for text in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ] {
        assert_eq!(parse_any_date(text), Some(784_111_777), "{text}");
    }
}

#[test]
fn two_digit_years_and_two_digit_days() {
    assert_eq!(parse_any_date("Thursday, 01-Jan-70 00:00:00 GMT"), Some(0));
    assert_eq!(
        parse_any_date("Tuesday, 29-Feb-00 00:00:00 GMT"),
        Some(951_782_400)
    );
    assert_eq!(
        parse_any_date("Tue Feb 29 00:00:00 2000"),
        Some(951_782_400)
    );
    assert_eq!(
        parse_any_date("Sun Feb 28 23:59:59 2100"),
        Some(4_107_542_399)
    );
}

#[test]
fn nonsense_and_near_misses_are_refused() {
    for text in [
        "",
        "yesterday",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Monday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Mon Nov  6 08:49:37 1994",
        "Sun Nov 31 08:49:37 1994",
    ] {
        assert_eq!(parse_any_date(text), None, "{text:?}");
    }
}
