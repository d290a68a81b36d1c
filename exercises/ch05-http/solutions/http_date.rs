//! Exercise 5.1, a solution: HTTP dates (RFC 9110, section 5.6.7), with
//! the calendar done by hand.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
    "Nov", "Dec",
];
const DAY: i64 = 86_400;

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`). The year starts in March here,
/// so that the leap day is the last day of the year.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let (era, year_of_era) = (year.div_euclid(400), year.rem_euclid(400));
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01: (year, month 1–12, day 1–31).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468; // from 0000-03-01
    let (era, day_of_era) =
        (days.div_euclid(146_097), days.rem_euclid(146_097));
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524
        - day_of_era / 146_096)
        / 365;
    let day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = (month_from_march + 2) % 12 + 1;
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    (year, month as u32, day as u32)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whole seconds since the epoch, rounded down: half a second before the
/// epoch is -1, in 23:59:59 of 31 December 1969.
fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs() as i64,
        Err(before) => {
            let before = before.duration();
            -(before.as_secs() as i64) - i64::from(before.subsec_nanos() > 0)
        }
    }
}

fn from_unix_seconds(secs: i64) -> SystemTime {
    match u64::try_from(secs) {
        Ok(after) => UNIX_EPOCH + Duration::from_secs(after),
        Err(_) => UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs()),
    }
}

/// `time` as an IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn format_http_date(time: SystemTime) -> String {
    let secs = unix_seconds(time);
    let (days, secs_of_day) = (secs.div_euclid(DAY), secs.rem_euclid(DAY));
    let (year, month, day) = civil_from_days(days);
    // 1 January 1970 was a Thursday.
    let weekday = DAY_NAMES[(days + 3).rem_euclid(7) as usize];
    format!(
        "{weekday}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        MONTHS[month as usize - 1],
        secs_of_day / 3600,
        secs_of_day / 60 % 60,
        secs_of_day % 60
    )
}

/// Reads the fields of a date off the front of a byte string. Bytes, not
/// `str`: slicing a `str` inside a multi-byte character panics, and these
/// bytes come from a stranger.
struct Fields<'a>(&'a [u8]);

impl Fields<'_> {
    fn literal(&mut self, literal: &str) -> Option<()> {
        self.0 = self.0.strip_prefix(literal.as_bytes())?;
        Some(())
    }

    /// Exactly `count` ASCII digits: no sign, no space.
    fn digits(&mut self, count: usize) -> Option<u32> {
        let (digits, rest) = self.0.split_at_checked(count)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.0 = rest;
        Some(digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
    }

    /// Which of `names` comes next (case-sensitive, as RFC 9110 says).
    fn one_of(&mut self, names: &[&str]) -> Option<u32> {
        let at = names
            .iter()
            .position(|name| self.0.starts_with(name.as_bytes()))?;
        self.0 = &self.0[names[at].len()..];
        Some(at as u32)
    }

    fn month(&mut self) -> Option<u32> {
        Some(self.one_of(&MONTHS)? + 1)
    }

    /// `08:49:37`, as seconds of the day. Second 60 is a leap second.
    fn time_of_day(&mut self) -> Option<i64> {
        let hour = self.digits(2)?;
        self.literal(":")?;
        let minute = self.digits(2)?;
        self.literal(":")?;
        let second = self.digits(2)?;
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        Some(i64::from(hour * 3600 + minute * 60 + second))
    }

    fn end(&self) -> Option<()> {
        self.0.is_empty().then_some(())
    }
}

/// The moment of a date, if the date exists.
fn moment(
    year: i64,
    month: u32,
    day: u32,
    secs_of_day: i64,
) -> Option<SystemTime> {
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(from_unix_seconds(
        days_from_civil(year, month, day) * DAY + secs_of_day,
    ))
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`
fn imf_fixdate(text: &[u8]) -> Option<SystemTime> {
    let mut fields = Fields(text);
    fields.one_of(&DAY_NAMES)?;
    fields.literal(", ")?;
    let day = fields.digits(2)?;
    fields.literal(" ")?;
    let month = fields.month()?;
    fields.literal(" ")?;
    let year = fields.digits(4)?;
    fields.literal(" ")?;
    let time = fields.time_of_day()?;
    fields.literal(" GMT")?;
    fields.end()?;
    moment(year.into(), month, day, time)
}

/// `Sunday, 06-Nov-94 08:49:37 GMT`
fn rfc850_date(text: &[u8], now: SystemTime) -> Option<SystemTime> {
    let mut fields = Fields(text);
    fields.one_of(&LONG_DAY_NAMES)?;
    fields.literal(", ")?;
    let day = fields.digits(2)?;
    fields.literal("-")?;
    let month = fields.month()?;
    fields.literal("-")?;
    let two_digits = fields.digits(2)?;
    fields.literal(" ")?;
    let time = fields.time_of_day()?;
    fields.literal(" GMT")?;
    fields.end()?;
    // RFC 9110, 5.6.7: a date that "appears to be more than 50 years in
    // the future" is in "the most recent year in the past that had the
    // same last two digits". So take the latest year ending in these
    // digits that is at most 50 years after now, to the second.
    let now = unix_seconds(now);
    let (this_year, this_month, this_day) =
        civil_from_days(now.div_euclid(DAY));
    let limit = days_from_civil(this_year + 50, this_month, this_day) * DAY
        + now.rem_euclid(DAY);
    let at = |year: i64| days_from_civil(year, month, day) * DAY + time;
    let mut year =
        this_year - this_year.rem_euclid(100) + i64::from(two_digits);
    if at(year + 100) <= limit {
        year += 100;
    } else if at(year) > limit {
        year -= 100;
    }
    moment(year, month, day, time)
}

/// `Sun Nov  6 08:49:37 1994`
fn asctime_date(text: &[u8]) -> Option<SystemTime> {
    let mut fields = Fields(text);
    fields.one_of(&DAY_NAMES)?;
    fields.literal(" ")?;
    let month = fields.month()?;
    fields.literal(" ")?;
    // The day is two digits, or a space and one digit.
    let day = match fields.literal(" ") {
        Some(()) => fields.digits(1)?,
        None => fields.digits(2)?,
    };
    fields.literal(" ")?;
    let time = fields.time_of_day()?;
    fields.literal(" ")?;
    let year = fields.digits(4)?;
    fields.end()?;
    moment(year.into(), month, day, time)
}

/// Parses an HTTP-date in any of its three formats.
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    parse_http_date_at(text, SystemTime::now())
}

/// Parses an HTTP-date, reading a two-digit year relative to `now`.
pub fn parse_http_date_at(text: &str, now: SystemTime) -> Option<SystemTime> {
    let text = text.as_bytes();
    imf_fixdate(text)
        .or_else(|| rfc850_date(text, now))
        .or_else(|| asctime_date(text))
}

/// Whether a GET or HEAD with this `If-Modified-Since` should get 304 Not
/// Modified, for a representation last modified at `last_modified`.
pub fn is_not_modified(
    if_modified_since: Option<&str>,
    last_modified: SystemTime,
) -> bool {
    // An invalid date (or a list of dates) means the header is ignored.
    let Some(since) = if_modified_since.and_then(parse_http_date) else {
        return false;
    };
    // RFC 9110, 8.8.2.1: a modification time in the future is sent as the
    // time of the response, now; Last-Modified has whole seconds.
    let last_modified = last_modified.min(SystemTime::now());
    unix_seconds(last_modified) <= unix_seconds(since)
}
