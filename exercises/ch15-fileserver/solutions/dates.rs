//! Exercise 15.1: All three HTTP date formats (a reference solution).

use ch15_fileserver::parse_http_date;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Seconds since 1970-01-01 00:00:00 UTC for a date in any of the three
/// formats, or `None` for anything else.
pub fn parse_any_date(text: &str) -> Option<u64> {
    parse_http_date(text)
        .or_else(|| rfc850(text))
        .or_else(|| asctime(text))
}

/// `Sunday, 06-Nov-94 08:49:37 GMT`. A two-digit year is read as Python's
/// `email.utils` reads it: 69 and later are 19xx, earlier ones 20xx.
fn rfc850(text: &str) -> Option<u64> {
    let (weekday, rest) = text.split_once(", ")?;
    let index = LONG_DAYS.iter().position(|day| *day == weekday)?;
    let [date, time, "GMT"] = rest.split(' ').collect::<Vec<_>>()[..] else {
        return None;
    };
    let [day, month, year] = date.split('-').collect::<Vec<_>>()[..] else {
        return None;
    };
    let year: u64 = two_digits(year)?;
    let year = if year >= 69 { 1900 + year } else { 2000 + year };
    // Rebuild it as an IMF-fixdate and let the library check the rest.
    let fixdate = format!("{}, {day} {month} {year} {time} GMT", DAYS[index]);
    parse_http_date(&fixdate)
}

/// `Sun Nov  6 08:49:37 1994`: the day of the month is padded with a space.
fn asctime(text: &str) -> Option<u64> {
    let weekday = text.get(..3)?;
    let month = text.get(4..7)?;
    if text.get(3..4)? != " " || text.get(7..8)? != " " || !MONTHS.contains(&month) {
        return None;
    }
    let day = text.get(8..10)?;
    let day = match day.as_bytes() {
        [b' ', digit] if digit.is_ascii_digit() => format!("0{}", *digit as char),
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => day.to_owned(),
        _ => return None,
    };
    let [time, year] = text.get(11..)?.split(' ').collect::<Vec<_>>()[..] else {
        return None;
    };
    if text.get(10..11)? != " " {
        return None;
    }
    parse_http_date(&format!("{weekday}, {day} {month} {year} {time} GMT"))
}

fn two_digits(text: &str) -> Option<u64> {
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?
}
