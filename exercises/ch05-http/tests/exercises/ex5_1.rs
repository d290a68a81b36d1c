//! Exercise 5.1: HTTP dates and If-Modified-Since
//! Edit: exercises/ch05-http/src/http_date.rs
//! Hint: Split a time into days since 1970 and seconds of the day with `div_euclid` and `rem_euclid` (they round down, also before 1970). For days to a date, count years from 1 March, so that 29 February is the last day of a year: Howard Hinnant's `civil_from_days` and `days_from_civil` are short and exact. 1 January 1970 was a Thursday. Parse the bytes (`text.as_bytes()`), not the `str`, so that a multi-byte character cannot make a slice panic, and check digits with `is_ascii_digit`: `"+6".parse::<u32>()` is `Ok(6)`.

use std::fmt::Write as _;
use std::fs;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use harness::run;

#[cfg(not(feature = "reference"))]
use ex05_http::http_date::{
    format_http_date, is_not_modified, parse_http_date, parse_http_date_at,
};
#[cfg(feature = "reference")]
use ex05_http::http_date_reference::{
    format_http_date, is_not_modified, parse_http_date, parse_http_date_at,
};

/// The moment `secs` seconds after (or before) the Unix epoch.
fn at(secs: i64) -> SystemTime {
    match u64::try_from(secs) {
        Ok(after) => UNIX_EPOCH + Duration::from_secs(after),
        Err(_) => UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs()),
    }
}

/// Whole seconds since the epoch, rounded down.
fn secs(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs() as i64,
        Err(before) => {
            let before = before.duration();
            -(before.as_secs() as i64) - i64::from(before.subsec_nanos() > 0)
        }
    }
}

/// RFC 9110's example, 06 Nov 1994 08:49:37 GMT.
const EXAMPLE: i64 = 784_111_777;
/// The first second of year 1 and the last of year 9999: the four-digit
/// years that `format_http_date` must handle.
const YEAR_1: i64 = -62_135_596_800;
const YEAR_9999_END: i64 = 253_402_300_799;

/// Times to compare with Python: the edges of the calendar, then a few
/// hundred spread over years 1 to 9999, then now.
fn sample_times() -> Vec<i64> {
    let mut times = vec![
        0,
        -1,
        EXAMPLE,
        951_782_400, // 2000-02-29, a leap day of a year divisible by 400
        951_868_800, // 2000-03-01
        1_709_164_800, // 2024-02-29
        4_107_542_399, // 2100-02-28 23:59:59: 2100 is not a leap year
        4_107_542_400, // 2100-03-01
        946_684_799, // 1999-12-31 23:59:59
        1_735_689_599, // 2024-12-31 23:59:59
        YEAR_1,
        YEAR_9999_END,
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let span = (YEAR_9999_END - YEAR_1) as u64;
    for _ in 0..400 {
        // A fixed linear congruential sequence: the same times every run.
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        times.push(YEAR_1 + ((state >> 11) % span) as i64);
    }
    times.push(secs(SystemTime::now()));
    times
}

/// Runs a Python script with `args`, or returns `None` (with a note)
/// when python3 is not installed.
fn python(script: &str, args: &[String]) -> Option<Vec<String>> {
    if Command::new("python3").arg("-V").output().is_err() {
        eprintln!(
            "note: python3 is not installed; skipping the comparison with Python"
        );
        return None;
    }
    let out = run(Command::new("python3").args(["-c", script]).args(args));
    out.assert_success();
    Some(out.stdout_text().lines().map(str::to_owned).collect())
}

#[test]
fn formats_known_dates_as_imf_fixdate() {
    let cases = [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (EXAMPLE, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_709_164_800, "Thu, 29 Feb 2024 00:00:00 GMT"),
        (4_107_542_399, "Sun, 28 Feb 2100 23:59:59 GMT"),
        (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 GMT"),
        (1_735_689_599, "Tue, 31 Dec 2024 23:59:59 GMT"),
        (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
        (YEAR_1, "Mon, 01 Jan 0001 00:00:00 GMT"),
        (YEAR_9999_END, "Fri, 31 Dec 9999 23:59:59 GMT"),
    ];
    for (secs, expected) in cases {
        assert_eq!(format_http_date(at(secs)), expected, "{secs} s after 1970");
    }
    // Fractions of a second are dropped, rounding down on both sides of 1970.
    let almost_two = UNIX_EPOCH + Duration::from_millis(1999);
    assert_eq!(
        format_http_date(almost_two),
        "Thu, 01 Jan 1970 00:00:01 GMT"
    );
    let half_before = UNIX_EPOCH - Duration::from_millis(500);
    assert_eq!(
        format_http_date(half_before),
        "Wed, 31 Dec 1969 23:59:59 GMT"
    );
}

#[test]
fn formats_like_pythons_formatdate() {
    let times = sample_times();
    let ours: Vec<String> =
        times.iter().map(|&t| format_http_date(at(t))).collect();
    let args: Vec<String> = times.iter().map(i64::to_string).collect();
    let script = "import email.utils, sys\n\
                  for t in sys.argv[1:]:\n    \
                  print(email.utils.formatdate(int(t), usegmt=True))";
    let Some(python) = python(script, &args) else {
        return;
    };
    assert_eq!(python.len(), times.len());
    for (i, line) in python.iter().enumerate() {
        assert_eq!(
            ours[i], *line,
            "format_http_date of {} s after 1970",
            times[i]
        );
    }
}

#[test]
fn parses_the_three_formats_of_rfc_9110() {
    for text in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        // asctime's day may also have two digits.
        "Sun Nov 06 08:49:37 1994",
        // A day name that does not match the date is not checked.
        "Mon, 06 Nov 1994 08:49:37 GMT",
    ] {
        assert_eq!(parse_http_date(text), Some(at(EXAMPLE)), "{text:?}");
    }
    // Second 60 is a leap second: the first second of the next minute.
    assert_eq!(
        parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT"),
        Some(at(1_483_228_800)),
        "a leap second"
    );
    assert_eq!(
        parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT"),
        Some(at(1_709_164_800))
    );
}

/// For each time in its arguments, the time written in all three formats:
/// Python's email.utils, C's asctime and strftime (in the C locale).
const PYTHON_WRITER: &str = r#"
import email.utils, sys, time
for t in map(int, sys.argv[1:]):
    tm = time.gmtime(t)
    print(email.utils.formatdate(t, usegmt=True))
    print(time.strftime("%A, %d-%b-%y %H:%M:%S GMT", tm))
    print(time.asctime(tm))
"#;

#[test]
fn parses_what_python_writes_in_all_three_formats() {
    let times = sample_times();
    // Ours first, so that the test needs the parser even without Python.
    for &t in &times {
        let text = format_http_date(at(t));
        assert_eq!(parse_http_date(&text), Some(at(t)), "{text:?}");
    }
    let args: Vec<String> = times.iter().map(i64::to_string).collect();
    let Some(python) = python(PYTHON_WRITER, &args) else {
        return;
    };
    assert_eq!(python.len(), 3 * times.len());
    let now = secs(SystemTime::now());
    let years_from_now = |t: i64| (t - now) as f64 / 31_556_952.0;
    for (i, &t) in times.iter().enumerate() {
        let [imf, rfc850, asctime] = [0, 1, 2].map(|k| &python[3 * i + k]);
        assert_eq!(parse_http_date(imf), Some(at(t)), "{imf:?}");
        // A two-digit year names the right century within 50 years of now.
        if years_from_now(t).abs() < 49.0 {
            assert_eq!(parse_http_date(rfc850), Some(at(t)), "{rfc850:?}");
        } else {
            // Another century; a 29 February may not exist there.
            if let Some(parsed) = parse_http_date(rfc850) {
                assert_eq!(
                    (secs(parsed) - t) % 86_400,
                    0,
                    "{rfc850:?} is the same day and time in some century"
                );
            }
        }
        // asctime's year is not zero-padded, so only four-digit years fit
        // the grammar: `Mon Jan  1 00:00:00 1` is not an HTTP date.
        let expected = (t >= -30_610_224_000).then(|| at(t)); // 1000-01-01
        assert_eq!(parse_http_date(asctime), expected, "{asctime:?}");
    }
}

#[test]
fn reads_two_digit_years_within_fifty_years_of_now() {
    let now = secs(SystemTime::now());
    // About now, `years` years away (a year of 365.2425 days).
    for years in [-48, -30, -1, 0, 1, 30, 48] {
        let t = now + years * 31_556_952;
        // "Sun, 06 Nov 1994 08:49:37 GMT" to "Sunday, 06-Nov-94 08:49:37 GMT"
        let imf = format_http_date(at(t));
        let long_day = [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ]
        .into_iter()
        .find(|name| imf.starts_with(&name[..3]))
        .unwrap_or_else(|| panic!("format_http_date wrote {imf:?}"));
        let fields: Vec<&str> = imf.split(' ').collect();
        let [_, day, month, year, time, _] = fields[..] else {
            panic!("format_http_date wrote {imf:?}");
        };
        let rfc850 =
            format!("{long_day}, {day}-{month}-{} {time} GMT", &year[2..]);
        assert_eq!(
            parse_http_date(&rfc850),
            Some(at(t)),
            "{rfc850:?}, {years} years from now"
        );
    }
}

#[test]
fn reads_two_digit_years_to_the_second_at_the_fifty_year_edge() {
    let now =
        parse_http_date("Fri, 01 May 2026 12:00:00 GMT").expect("a valid date");
    let cases = [
        // Fifty years from now is 1 May 2076, 12:00:00.
        (
            "Friday, 01-May-76 12:00:00 GMT",
            "Fri, 01 May 2076 12:00:00 GMT",
        ),
        (
            "Saturday, 01-May-76 12:00:01 GMT",
            "Sat, 01 May 1976 12:00:01 GMT",
        ),
        (
            "Wednesday, 01-Jan-76 00:00:00 GMT",
            "Wed, 01 Jan 2076 00:00:00 GMT",
        ),
        (
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT",
        ),
        (
            "Thursday, 01-Jan-26 00:00:00 GMT",
            "Thu, 01 Jan 2026 00:00:00 GMT",
        ),
        (
            "Tuesday, 31-Dec-75 00:00:00 GMT",
            "Tue, 31 Dec 2075 00:00:00 GMT",
        ),
        (
            "Saturday, 01-Jan-77 00:00:00 GMT",
            "Sat, 01 Jan 1977 00:00:00 GMT",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(
            parse_http_date_at(text, now),
            parse_http_date(expected),
            "{text:?} read in May 2026 should be {expected}"
        );
    }
    // In 2099, `00` is 2100, one year ahead, not 2000.
    let late = parse_http_date("Mon, 01 Jun 2099 00:00:00 GMT").unwrap();
    assert_eq!(
        parse_http_date_at("Friday, 01-Jan-00 00:00:00 GMT", late),
        parse_http_date("Fri, 01 Jan 2100 00:00:00 GMT"),
    );
    // In 1999, `49` is 2049 and `50` is 1950.
    let early = parse_http_date("Fri, 31 Dec 1999 23:59:59 GMT").unwrap();
    assert_eq!(
        parse_http_date_at("Friday, 31-Dec-49 23:59:59 GMT", early),
        parse_http_date("Fri, 31 Dec 2049 23:59:59 GMT"),
    );
    assert_eq!(
        parse_http_date_at("Sunday, 01-Jan-50 00:00:00 GMT", early),
        parse_http_date("Sun, 01 Jan 1950 00:00:00 GMT"),
    );
    // The leap day is checked in the year the rule picks: 2100 has none.
    assert_eq!(
        parse_http_date_at("Monday, 29-Feb-00 00:00:00 GMT", late),
        None
    );
    assert!(
        parse_http_date_at("Tuesday, 29-Feb-00 00:00:00 GMT", now).is_some()
    );
}

#[test]
fn refuses_what_is_not_an_http_date() {
    let bad = [
        "",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 gmt",
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sunday, 06 Nov 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 01994 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        " Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
        "Sun, +6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
        "Sun, 06 Nov 1994 +8:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:-7 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Sun, 30 Feb 2000 08:49:37 GMT",
        "Sun, 29 Feb 2100 08:49:37 GMT",
        "Sun, 29 Feb 2023 08:49:37 GMT",
        "Sun, 06 Xyz 1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 GMT",
        "Sun Nov 6  08:49:37 1994",
        "1994-11-06T08:49:37Z",
        "784111777",
        // Multi-byte characters where a byte-offset slice of a str panics.
        "Sun, 0€ Nov 1994 08:49:37 GMT",
        "Sün, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GM€",
        "S€ Nov  6 08:49:37 1994",
        "€€€€€€€€€€",
    ];
    for text in bad {
        assert_eq!(parse_http_date(text), None, "{text:?} is not an HTTP-date");
    }
}

/// A time with a fraction of a second, like a file's modification time.
const MODIFIED: i64 = 1_700_000_000; // Tue, 14 Nov 2023 22:13:20 GMT

fn modified() -> SystemTime {
    at(MODIFIED) + Duration::from_millis(700)
}

#[test]
fn if_modified_since_compares_whole_seconds() {
    let date = |secs| format_http_date(at(secs));
    // 22:13:20.7 is the same second as the date 22:13:20: not modified.
    assert!(
        is_not_modified(Some(&date(MODIFIED)), modified()),
        "same second"
    );
    assert!(
        is_not_modified(Some(&date(MODIFIED + 1)), modified()),
        "a second later"
    );
    assert!(
        !is_not_modified(Some(&date(MODIFIED - 1)), modified()),
        "a second earlier"
    );
    // A date a client chose that lies ahead of the server's clock: RFC 9110
    // has no rule against it, and the representation is older.
    let ahead = secs(SystemTime::now()) + 86_400;
    assert!(
        is_not_modified(Some(&date(ahead)), modified()),
        "a future date"
    );
    // Any of the three formats.
    for since in [
        "Tuesday, 14-Nov-23 22:13:20 GMT",
        "Tue Nov 14 22:13:20 2023",
    ] {
        assert!(is_not_modified(Some(since), modified()), "{since:?}");
    }
    assert!(!is_not_modified(
        Some("Tuesday, 14-Nov-23 22:13:19 GMT"),
        modified()
    ));
}

#[test]
fn if_modified_since_is_ignored_when_missing_or_invalid() {
    let long_ago = at(0);
    assert!(!is_not_modified(None, long_ago), "no header");
    for since in [
        "",
        "yesterday",
        "tue, 14 nov 2023 22:13:20 gmt",
        "Tue, 14 Nov 2023 22:13:20 GMT, Wed, 15 Nov 2023 22:13:20 GMT",
        "Tue, 14 Nov 2023 22:13:20 GMT ",
    ] {
        assert!(
            !is_not_modified(Some(since), long_ago),
            "{since:?} is not a valid HTTP-date, so the header is ignored"
        );
    }
    assert!(is_not_modified(
        Some("Tue, 14 Nov 2023 22:13:20 GMT"),
        long_ago
    ));
}

#[test]
fn a_last_modified_in_the_future_counts_as_now() {
    // A file touched with a date an hour ahead. The server sends the time
    // of the response as its Last-Modified (RFC 9110, 8.8.2.1), and a cache
    // that sends that date back must get 304.
    let now = secs(SystemTime::now());
    let file_time = at(now + 3600);
    let later = format_http_date(at(now + 60));
    assert!(is_not_modified(Some(&later), file_time), "{later}");
    let earlier = format_http_date(at(now - 60));
    assert!(!is_not_modified(Some(&earlier), file_time), "{earlier}");
}

/// Python's own static file server, asked with each If-Modified-Since in
/// turn about a file whose modification time is given in nanoseconds.
const PYTHON_SERVER: &str = r#"
import functools, http.client, http.server, os, sys, threading
root, mtime_ns, values = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
path = os.path.join(root, "page.txt")
with open(path, "w") as page:
    page.write("hello\n")
os.utime(path, ns=(mtime_ns, mtime_ns))
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(
    ("127.0.0.1", 0), functools.partial(Quiet, directory=root))
threading.Thread(target=server.serve_forever, daemon=True).start()
for value in values:
    connection = http.client.HTTPConnection(*server.server_address, timeout=10)
    connection.request("GET", "/page.txt", headers={"If-Modified-Since": value})
    print(connection.getresponse().status)
    connection.close()
server.shutdown()
"#;

#[test]
fn agrees_with_pythons_http_server_on_304() {
    let date = |secs| format_http_date(at(secs));
    let values = vec![
        date(MODIFIED),
        date(MODIFIED - 1),
        date(MODIFIED + 1),
        date(MODIFIED - 86_400 * 365),
        date(secs(SystemTime::now()) + 86_400 * 365),
        "Tuesday, 14-Nov-23 22:13:20 GMT".to_owned(),
        "Tuesday, 14-Nov-23 22:13:19 GMT".to_owned(),
        "Tue Nov 14 22:13:20 2023".to_owned(),
        "Tue Nov 14 22:13:19 2023".to_owned(),
        "not a date".to_owned(),
    ];
    let ours: Vec<&str> = values
        .iter()
        .map(|since| {
            if is_not_modified(Some(since), modified()) {
                "304"
            } else {
                "200"
            }
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mtime_ns =
        (i128::from(MODIFIED) * 1_000_000_000 + 700_000_000).to_string();
    let mut args = vec![dir.path().to_string_lossy().into_owned(), mtime_ns];
    args.extend(values.iter().cloned());
    let Some(python) = python(PYTHON_SERVER, &args) else {
        return;
    };
    let mut report = String::new();
    for (i, since) in values.iter().enumerate() {
        let _ = writeln!(
            report,
            "{since:<40} python {} ours {}",
            python[i], ours[i]
        );
    }
    assert_eq!(
        python, ours,
        "If-Modified-Since against a file of {}.7 s:\n{report}",
        MODIFIED
    );
    // The file Python served is the one the test made, in its own temp dir.
    assert_eq!(
        fs::read_to_string(dir.path().join("page.txt")).unwrap(),
        "hello\n"
    );
}
