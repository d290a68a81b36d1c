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

/// Every request `take_head` gives for `input`, fed `chunk` bytes at a
/// time (`usize::MAX`: all at once), and what is left unparsed.
fn heads(input: &[u8], chunk: usize) -> (Vec<String>, Vec<u8>) {
    use ch15_fileserver::reply::{Scan, take_head};
    let (mut buf, mut scan, mut got) = (Vec::new(), Scan::default(), Vec::new());
    let mut chunks = input.chunks(chunk.min(input.len()).max(1)).peekable();
    loop {
        let eof = chunks.peek().is_none();
        match take_head(&mut buf, eof, &mut scan) {
            Some(Ok(request)) => got.push(format!("{} {}", request.method, request.target)),
            // After an error the connection closes: what is left does not
            // matter, and an error seen early leaves less.
            Some(Err(err)) => {
                got.push(format!("{:?}", err.status()));
                return (got, Vec::new());
            }
            None => match chunks.next() {
                Some(bytes) => buf.extend_from_slice(bytes),
                None => return (got, buf),
            },
        }
    }
}

#[test]
fn take_head_gives_the_same_requests_however_the_bytes_arrive() {
    let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000));
    let many_headers: String = (0..2000).map(|n| format!("X-{n}: y\r\n")).collect();
    let big_head = format!("GET / HTTP/1.1\r\n{many_headers}\r\n");
    let cases: [&[u8]; 6] = [
        b"GET /a HTTP/1.1\r\nHost: t\r\n\r\n",
        // Pipelined, with a bare LF and empty lines before a request.
        b"GET /a HTTP/1.1\r\nHost: t\r\n\r\n\r\n\nGET /b HTTP/1.1\nHost: t\n\nGET /c",
        b"GET /a HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabcGET",
        b"BAD\r\n\r\n",
        long_line.as_bytes(),
        big_head.as_bytes(),
    ];
    for input in cases {
        let whole = heads(input, usize::MAX);
        assert!(!whole.0.is_empty(), "{whole:?}");
        for chunk in [1, 2, 3, 7, 4096] {
            assert_eq!(heads(input, chunk), whole, "{chunk}-byte reads");
        }
    }
    // Pipelined requests come one by one; an unfinished one at the end of
    // the stream is a bad request.
    let got = heads(cases[1], 1).0;
    assert_eq!(&got[..2], ["GET /a", "GET /b"]);
    assert!(got[2].contains("400"), "{got:?}");
}
