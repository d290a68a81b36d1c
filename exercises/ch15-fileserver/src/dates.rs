//! Exercise 15.1: All three HTTP date formats.
//!
//! Write `parse_any_date` so that it accepts what RFC 9110 (5.6.7) says a
//! recipient must accept: the IMF-fixdate `fileserver` sends
//! (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
//! (`Sunday, 06-Nov-94 08:49:37 GMT`) and C's asctime form
//! (`Sun Nov  6 08:49:37 1994`). Return seconds since 1970, or `None`.
//!
//! Check your solution with `cargo xtask exercise 15.1`.

/// Seconds since 1970-01-01 00:00:00 UTC for a date in any of the three
/// formats, or `None` for anything else.
pub fn parse_any_date(text: &str) -> Option<u64> {
    let _ = text;
    todo!("parse IMF-fixdate, RFC 850 and asctime dates")
}
