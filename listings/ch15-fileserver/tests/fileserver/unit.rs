//! The library's decisions, called directly.

use std::time::{Duration, UNIX_EPOCH};

use ch15_fileserver::{Range, accepts_gzip, http_date, parse_http_date, parse_range};

#[test]
fn dates_round_trip() {
    for secs in [0, 784_111_777, 951_782_400, 4_107_542_399, 4_107_542_400] {
        let text = http_date(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(parse_http_date(&text), Some(secs), "{text}");
    }
    assert_eq!(
        http_date(UNIX_EPOCH + Duration::from_secs(784_111_777)),
        "Sun, 06 Nov 1994 08:49:37 GMT"
    );
    for bad in [
        "Sunday, 06-Nov-94 08:49:37 GMT", // RFC 850
        "Sun Nov  6 08:49:37 1994",       // asctime
        "Mon, 06 Nov 1994 08:49:37 GMT",  // wrong weekday
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:49:37 GMT",
        "",
    ] {
        assert_eq!(parse_http_date(bad), None, "{bad}");
    }
}

#[test]
fn ranges_follow_rfc_9110() {
    let part = |first, last| Range::Part { first, last };
    assert_eq!(parse_range(None, 10), Range::Full);
    assert_eq!(parse_range(Some("bytes=0-0"), 10), part(0, 0));
    assert_eq!(parse_range(Some("bytes=2-"), 10), part(2, 9));
    assert_eq!(parse_range(Some("bytes=-3"), 10), part(7, 9));
    assert_eq!(
        parse_range(Some("bytes=5-99999999999999999999999"), 10),
        part(5, 9)
    );
    assert_eq!(parse_range(Some("bytes=10-"), 10), Range::Unsatisfiable);
    assert_eq!(
        parse_range(Some("bytes=99999999999999999999999-"), 10),
        Range::Unsatisfiable
    );
    assert_eq!(parse_range(Some("bytes=0-"), 0), Range::Unsatisfiable);
    assert_eq!(parse_range(Some("bytes=-0"), 10), Range::Unsatisfiable);
    for ignored in [
        "bytes=3-2",
        "bytes=0-1,4-5",
        "bytes=",
        "bytes=-",
        "items=0-1",
        "bytes=a-b",
    ] {
        assert_eq!(parse_range(Some(ignored), 10), Range::Full, "{ignored}");
    }
}

#[test]
fn gzip_is_accepted_unless_its_quality_is_zero() {
    assert!(accepts_gzip(Some("gzip")));
    assert!(accepts_gzip(Some("deflate, GZIP;q=0.5")));
    assert!(accepts_gzip(Some("*")));
    assert!(!accepts_gzip(None));
    assert!(!accepts_gzip(Some("br")));
    assert!(!accepts_gzip(Some("gzip;q=0")));
    assert!(!accepts_gzip(Some("gzip; q=0.000")));
    assert!(!accepts_gzip(Some("*, gzip;q=0")));
}
