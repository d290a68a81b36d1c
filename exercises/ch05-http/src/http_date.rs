//! Exercise 5.1: HTTP dates (RFC 9110, section 5.6.7), with the calendar
//! done by hand: no date crates.
//!
//! - `format_http_date` writes a time as an IMF-fixdate, the one format a
//!   sender may use: `Sun, 06 Nov 1994 08:49:37 GMT`. Fractions of a
//!   second are dropped (rounding down, also before 1970). Any time from
//!   the year 1 to 9999 must work.
//! - `parse_http_date` reads any of the three formats RFC 9110 requires a
//!   recipient to accept, exactly as its grammar spells them: IMF-fixdate;
//!   the obsolete RFC 850 format, `Sunday, 06-Nov-94 08:49:37 GMT`; and
//!   C's asctime format, `Sun Nov  6 08:49:37 1994` (a one-digit day has a
//!   space before it, `Nov 06` is allowed too). Names are case-sensitive;
//!   numbers have exactly their digits (no sign, no spaces); the hour is at
//!   most 23, the minute 59, the second 60 (a leap second, read as the
//!   first second of the next minute); the day must exist in its month
//!   and year. The day name need not match the date. Anything else,
//!   including spaces around the date, is `None`.
//! - An RFC 850 date's two-digit year means the latest year ending in
//!   those digits that does not put the date more than 50 years after
//!   `now`, to the second: in May 2026, `76` with `01-Jan` is 2076, with
//!   `06-Nov` it is 1976. `parse_http_date` reads it relative to
//!   `SystemTime::now()`, `parse_http_date_at` relative to `now`.
//! - `is_not_modified` says whether a GET or HEAD request with this
//!   `If-Modified-Since` value gets 304 Not Modified (RFC 9110, section
//!   13.1.3): when the representation was last modified at or before the
//!   date. Compare whole seconds, as `Last-Modified` has them. No header,
//!   or one that is not a valid date, is ignored: `false`. A
//!   `last_modified` in the future counts as now, because that is what
//!   the server sends as `Last-Modified` (section 8.8.2.1).
//!
//! Check your solution with `cargo xtask exercise 5.1`.

use std::time::SystemTime;

/// `time` as an IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn format_http_date(time: SystemTime) -> String {
    todo!("exercise 5.1: format {time:?}")
}

/// Parses an HTTP-date in any of its three formats.
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    todo!("exercise 5.1: parse {text:?}")
}

/// Parses an HTTP-date, reading a two-digit year relative to `now`.
pub fn parse_http_date_at(text: &str, now: SystemTime) -> Option<SystemTime> {
    todo!("exercise 5.1: parse {text:?} as of {now:?}")
}

/// Whether a GET or HEAD with this `If-Modified-Since` should get 304 Not
/// Modified, for a representation last modified at `last_modified`.
pub fn is_not_modified(
    if_modified_since: Option<&str>,
    last_modified: SystemTime,
) -> bool {
    todo!("exercise 5.1: {if_modified_since:?} against {last_modified:?}")
}
