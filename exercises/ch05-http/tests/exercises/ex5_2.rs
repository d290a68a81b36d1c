//! Exercise 5.2: Decoding a chunked body
//! Edit: exercises/ch05-http/src/chunked.rs
//! Hint: Read each line with `reader.take(limit).read_until(b'\n', &mut line)`, as chapter 5's `read_line` does: a line that does not end in `\n` is either the end of the stream (fewer bytes than the limit) or too long. Parse the size digit by digit with `checked_mul(16)` and `checked_add`, and stop as soon as it is over what `max_body` leaves. Read the data with `reader.take(size as u64).read_to_end(&mut body)`, so that nothing is allocated for bytes that never come, then expect `\r` and `\n`.

use std::cell::Cell;
use std::fmt::Write as _;
use std::io::{self, BufReader, Read};
use std::process::Command;
use std::rc::Rc;

use harness::run;

#[cfg(not(feature = "reference"))]
use ex05_http::chunked::{
    ChunkedError, MAX_LINE, MAX_TRAILER_LINES, read_chunked,
};
#[cfg(feature = "reference")]
use ex05_http::chunked_reference::{
    ChunkedError, MAX_LINE, MAX_TRAILER_LINES, read_chunked,
};

const MIB: usize = 1 << 20;

/// Decodes `input` from a slice, which hands over everything at once.
fn decode(input: &[u8], max_body: usize) -> Result<Vec<u8>, ChunkedError> {
    read_chunked(&mut &input[..], max_body)
}

/// Decodes `input` through a buffer of one byte: every read returns one.
fn decode_bytewise(
    input: &[u8],
    max_body: usize,
) -> Result<Vec<u8>, ChunkedError> {
    read_chunked(&mut BufReader::with_capacity(1, input), max_body)
}

/// Both ways, which must agree; returns the result.
#[track_caller]
fn decode_both(input: &[u8], max_body: usize) -> Result<Vec<u8>, ChunkedError> {
    let whole = decode(input, max_body);
    let bytewise = decode_bytewise(input, max_body);
    assert_eq!(
        format!("{whole:?}"),
        format!("{bytewise:?}"),
        "a reader that returns one byte at a time gives another result for {:?}",
        input.escape_ascii().to_string()
    );
    whole
}

#[track_caller]
fn assert_decodes(input: &[u8], expected: &[u8]) {
    match decode_both(input, MIB) {
        Ok(body) => assert_eq!(
            body.escape_ascii().to_string(),
            expected.escape_ascii().to_string(),
            "the data of {:?}",
            input.escape_ascii().to_string()
        ),
        Err(err) => panic!(
            "{:?} is a valid chunked body, got {err:?}",
            input.escape_ascii().to_string()
        ),
    }
}

#[track_caller]
fn assert_malformed(input: &[u8]) {
    let result = decode_both(input, MIB);
    assert!(
        matches!(result, Err(ChunkedError::Malformed(_))),
        "{:?} should be Malformed (400), got {result:?}",
        input.escape_ascii().to_string()
    );
}

#[track_caller]
fn assert_too_large(input: &[u8], max_body: usize) {
    let result = decode_both(input, max_body);
    assert!(
        matches!(result, Err(ChunkedError::TooLarge)),
        "{:?} with max_body {max_body} should be TooLarge (413), got {result:?}",
        input.escape_ascii().to_string()
    );
}

/// Data with CRLF and a `0` line inside it, which are not framing.
const WIKI: &[u8] =
    b"4\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\n\r\n";

/// Every feature at once: extensions, uppercase and zero-padded sizes, a
/// trailer section.
const RICH: &[u8] = b"4;name=value\r\nWiki\r\n06 ; a ;b=\"q;d\"\r\npedia \r\n\
    00E\t;x\r\nin \r\n\r\nchunks.\r\n0;last\r\nExpires: Wed, 21 Oct 2015 07:28:00 GMT\r\n\
    X-Empty:\r\n\r\n";

#[test]
fn decodes_chunks_whose_data_holds_crlf() {
    assert_decodes(WIKI, b"Wikipedia in \r\n\r\nchunks.");
    assert_decodes(b"0\r\n\r\n", b"");
    assert_decodes(
        b"000A\r\n0\r\n\r\n0\r\n\r\n\r\n0\r\n\r\n",
        b"0\r\n\r\n0\r\n\r\n",
    );
    assert_decodes(b"1\r\n\0\r\n000\r\n\r\n", b"\0");
}

#[test]
fn ignores_extensions_and_discards_trailers() {
    assert_decodes(RICH, b"Wikipedia in \r\n\r\nchunks.");
    assert_decodes(b"5;\r\nhello\r\n0\r\n\r\n", b"hello");
}

#[test]
fn stops_after_the_final_empty_line() {
    let next = b"GET /next HTTP/1.1\r\nHost: x\r\n\r\n";
    for body in [WIKI, RICH] {
        let input = [body, next].concat();
        let mut rest = &input[..];
        let decoded = read_chunked(&mut rest, MIB);
        assert!(decoded.is_ok(), "{decoded:?}");
        assert_eq!(
            rest.escape_ascii().to_string(),
            next.escape_ascii().to_string(),
            "the next request must be left unread"
        );
        let mut reader = BufReader::with_capacity(1, &input[..]);
        assert!(read_chunked(&mut reader, MIB).is_ok());
        let mut left = Vec::new();
        reader.read_to_end(&mut left).unwrap();
        assert_eq!(left, next, "the next request must be left unread");
    }
}

#[test]
fn accepts_a_bare_lf_only_where_rfc_9112_allows_it() {
    // Trailer fields and the final empty line are field lines (section 2.2).
    assert_decodes(b"5\r\nhello\r\n0\r\n\n", b"hello");
    assert_decodes(b"5\r\nhello\r\n0\r\nX-A: b\n\n", b"hello");
    assert_decodes(b"5\r\nhello\r\n0\r\nX-A: b\n\r\n", b"hello");
    // The size line and the end of the data are not (section 7.1).
    assert_malformed(b"5\nhello\r\n0\r\n\r\n");
    assert_malformed(b"5\r\nhello\n0\r\n\r\n");
    assert_malformed(b"5\r\nhello\r\n0\n\r\n");
    // A CR that does not end a line is refused everywhere.
    assert_malformed(b"5\r\r\nhello\r\n0\r\n\r\n");
    assert_malformed(b"5;a\rb\r\nhello\r\n0\r\n\r\n");
    assert_malformed(b"5\r\nhello\r\n0\r\nX-A: b\rc\r\n\r\n");
    assert_malformed(b"5\r\nhello\r\n0\r\n\r\r\n");
}

#[test]
fn refuses_malformed_framing() {
    for input in [
        // No CRLF after the data, or more data than the size said.
        &b"5\r\nhelloX\r\n0\r\n\r\n"[..],
        b"5\r\nhello0\r\n\r\n",
        b"3\r\nhello\r\n0\r\n\r\n",
        b"5\r\nhello\n\r\n0\r\n\r\n",
        // Sizes that are not plain hexadecimal.
        b"\r\nhello\r\n0\r\n\r\n",
        b"g\r\nhello\r\n0\r\n\r\n",
        b"+5\r\nhello\r\n0\r\n\r\n",
        b"-1\r\nh\r\n0\r\n\r\n",
        b"0x5\r\nhello\r\n0\r\n\r\n",
        b" 5\r\nhello\r\n0\r\n\r\n",
        b"5 \r\nhello\r\n0\r\n\r\n",
        b"5x\r\nhello\r\n0\r\n\r\n",
        b"5 x\r\nhello\r\n0\r\n\r\n",
        b";x\r\nhello\r\n0\r\n\r\n",
        b"\xd9\xa5\r\nhello\r\n0\r\n\r\n",
        // Control characters hidden in an extension.
        b"5;a\0b\r\nhello\r\n0\r\n\r\n",
        b"5;a\x1bb\r\nhello\r\n0\r\n\r\n",
        // Trailer lines that are not fields.
        b"0\r\nno colon\r\n\r\n",
        b"0\r\n: no name\r\n\r\n",
        b"0\r\nX Y: z\r\n\r\n",
        b"0\r\nX-A : b\r\n\r\n",
        b"0\r\nX-A: b\r\n folded\r\n\r\n",
    ] {
        assert_malformed(input);
    }
}

#[test]
fn refuses_bodies_over_max_body_before_reading_their_data() {
    // Exactly max_body is fine; one byte more is not.
    let ten = b"a\r\n0123456789\r\n0\r\n\r\n";
    assert!(matches!(decode_both(ten, 10), Ok(body) if body == b"0123456789"));
    assert_too_large(ten, 9);
    let split = b"5\r\n01234\r\n6\r\n012345\r\n0\r\n\r\n";
    assert_too_large(split, 10);
    // No data follows these size lines: the error must come from the size
    // alone, not from waiting for data that a server should never accept.
    assert_too_large(b"b\r\n", 10);
    assert_too_large(b"5\r\n01234\r\n6\r\n", 10);
    assert_too_large(b"100000\r\n", MIB - 1);
}

#[test]
fn huge_sizes_are_too_large_never_an_overflow() {
    for max_body in [MIB, usize::MAX] {
        assert_too_large(b"ffffffffffffffffffff\r\n", max_body);
        assert_too_large(b"10000000000000000\r\n", max_body);
        assert_too_large(
            b"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\r\n",
            max_body,
        );
    }
    // Many leading zeros are not a large number.
    let zeros = format!("{}5\r\nhello\r\n0\r\n\r\n", "0".repeat(100));
    assert_decodes(zeros.as_bytes(), b"hello");
}

/// A reader that counts the bytes taken from it.
struct Counting<R> {
    inner: R,
    taken: Rc<Cell<usize>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.taken.set(self.taken.get() + n);
        Ok(n)
    }
}

/// Decodes `start` followed by 16 MiB of `filler`, through a BufReader of
/// the default 8 KiB, and returns the result and how many bytes were read.
fn decode_endless(
    start: &[u8],
    filler: u8,
) -> (Result<Vec<u8>, ChunkedError>, usize) {
    let taken = Rc::new(Cell::new(0));
    let source = start.chain(io::repeat(filler).take(16 << 20));
    let mut reader = BufReader::new(Counting {
        inner: source,
        taken: Rc::clone(&taken),
    });
    let result = read_chunked(&mut reader, MIB);
    (result, taken.get())
}

#[test]
fn bounds_every_line_a_peer_sends() {
    for (what, start, filler) in [
        ("an endless extension", &b"5;"[..], b'a'),
        ("an endless size", b"", b'0'),
        ("an endless trailer line", b"0\r\nX-A: ", b'a'),
        ("endless spaces before an extension", b"5", b' '),
    ] {
        let (result, taken) = decode_endless(start, filler);
        assert!(
            matches!(result, Err(ChunkedError::TooLarge)),
            "{what}: should be TooLarge, got {result:?}"
        );
        assert!(
            taken <= 64 * 1024,
            "{what}: read {taken} bytes; a line is at most {MAX_LINE}"
        );
    }
    // A line of exactly MAX_LINE bytes is fine, one more is not.
    let line =
        |len: usize| format!("5;{}\r\nhello\r\n0\r\n\r\n", "x".repeat(len - 2));
    assert_decodes(line(MAX_LINE).as_bytes(), b"hello");
    assert_too_large(line(MAX_LINE + 1).as_bytes(), MIB);
    let trailer =
        |len: usize| format!("0\r\nX:{}\r\n\r\n", "y".repeat(len - 2));
    assert_decodes(trailer(MAX_LINE).as_bytes(), b"");
    assert_too_large(trailer(MAX_LINE + 1).as_bytes(), MIB);
    // And so is the number of trailer fields.
    let trailers =
        |count: usize| format!("0\r\n{}\r\n", "X-A: b\r\n".repeat(count));
    assert_decodes(trailers(MAX_TRAILER_LINES).as_bytes(), b"");
    assert_too_large(trailers(MAX_TRAILER_LINES + 1).as_bytes(), MIB);
    let taken = Rc::new(Cell::new(0));
    let many = trailers(200_000);
    let mut reader = BufReader::new(Counting {
        inner: many.as_bytes(),
        taken: Rc::clone(&taken),
    });
    let result = read_chunked(&mut reader, MIB);
    assert!(matches!(result, Err(ChunkedError::TooLarge)), "{result:?}");
    assert!(
        taken.get() <= 64 * 1024,
        "read {} bytes of trailer fields",
        taken.get()
    );
}

#[test]
fn the_end_of_the_stream_anywhere_is_unexpected_eof() {
    for body in [WIKI, RICH, b"5\r\nhello\r\n0\r\nX: y\n\n"] {
        for len in 0..body.len() {
            let cut = &body[..len];
            for result in [decode(cut, MIB), decode_bytewise(cut, MIB)] {
                assert!(
                    matches!(result, Err(ChunkedError::UnexpectedEof)),
                    "{:?}, cut after {len} bytes: should be UnexpectedEof, got {result:?}",
                    cut.escape_ascii().to_string()
                );
            }
        }
    }
}

/// A reader that gives `data`, then fails with `kind`.
struct Failing {
    data: &'static [u8],
    kind: io::ErrorKind,
}

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.data.is_empty() {
            return Err(self.kind.into());
        }
        let n = buf.len().min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn a_read_error_is_an_io_error() {
    // A timeout (the server's deadline) is not the end of the stream.
    for data in [&b""[..], b"5\r\nhel", b"5\r\nhello\r\n0\r\nX-"] {
        let mut reader = BufReader::new(Failing {
            data,
            kind: io::ErrorKind::TimedOut,
        });
        let result = read_chunked(&mut reader, MIB);
        assert!(
            matches!(&result, Err(ChunkedError::Io(err)) if err.kind() == io::ErrorKind::TimedOut),
            "a timeout after {:?}: should be Io(TimedOut), got {result:?}",
            data.escape_ascii().to_string()
        );
    }
}

/// Decodes each body in its arguments (hex) with Python's http.client, the
/// way it decodes a chunked response.
const PYTHON_DECODER: &str = r#"
import http.client, io, sys
class Socket:
    def __init__(self, data):
        self.data = data
    def makefile(self, mode):
        return io.BytesIO(self.data)
head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
for arg in sys.argv[1:]:
    response = http.client.HTTPResponse(Socket(head + bytes.fromhex(arg)))
    response.begin()
    print(response.read().hex())
"#;

/// A deterministic stream of pseudo-random numbers.
struct Numbers(u64);

impl Numbers {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// A valid chunked body for `data`, cut into chunks of random sizes, with
/// sizes in either case, some zero-padded, some extensions and trailers.
fn encode(data: &[u8], numbers: &mut Numbers) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let size = (1 + numbers.below(300)).min(rest.len());
        let zeros = "0".repeat(numbers.below(3));
        let size_text = match numbers.below(2) {
            0 => format!("{zeros}{size:x}"),
            _ => format!("{zeros}{size:X}"),
        };
        let extension = ["", ";a", " ;b=c", ";d=\"e;f\"\t;g"][numbers.below(4)];
        out.extend(format!("{size_text}{extension}\r\n").as_bytes());
        out.extend(&rest[..size]);
        out.extend(b"\r\n");
        rest = &rest[size..];
    }
    out.extend(b"0\r\n");
    for i in 0..numbers.below(3) {
        out.extend(format!("X-Trailer-{i}: value {i}\r\n").as_bytes());
    }
    out.extend(b"\r\n");
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

#[test]
fn agrees_with_pythons_http_client() {
    let mut numbers = Numbers(7);
    let mut bodies = Vec::new();
    let mut expected = Vec::new();
    for len in [0, 1, 2, 17, 299, 300, 301, 1000, 4096, 5000] {
        let data: Vec<u8> =
            (0..len).map(|_| numbers.below(256) as u8).collect();
        let body = encode(&data, &mut numbers);
        let ours = decode_both(&body, MIB).unwrap_or_else(|err| {
            panic!("a valid body of {len} bytes: {err:?}")
        });
        assert_eq!(ours, data, "a body of {len} bytes");
        bodies.push(hex(&body));
        expected.push(hex(&data));
    }
    if Command::new("python3").arg("-V").output().is_err() {
        eprintln!(
            "note: python3 is not installed; skipping the comparison with Python"
        );
        return;
    }
    let out = run(Command::new("python3")
        .args(["-c", PYTHON_DECODER])
        .args(&bodies));
    out.assert_success();
    let python: Vec<String> =
        out.stdout_text().lines().map(str::to_owned).collect();
    assert_eq!(
        python, expected,
        "Python's http.client decodes the same bodies"
    );
}
