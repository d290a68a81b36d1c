//! Exercise 5.2: decoding a chunked body (RFC 9112, section 7.1).
//!
//! Chapter 5's server answers a request body sent with
//! `Transfer-Encoding: chunked` with 501 Not Implemented. To accept one it
//! needs `read_chunked`: it reads the body from `reader` and returns the
//! data, joined.
//!
//! A chunked body is chunks, each a line with the size in hexadecimal
//! (either case, leading zeros allowed), the data, and CRLF; then a chunk
//! of size 0, trailer fields, and an empty line. After the size may come
//! spaces or tabs and `;`, which starts chunk extensions: ignore them, but
//! refuse control characters (other than tab) in them. Discard the trailer
//! fields, but each must be `name: value` with a name of token characters.
//! Read up to and including the final empty line and not one byte further:
//! the next request on the connection follows it.
//!
//! Line endings: the size line and the end of the data need CRLF, as the
//! grammar in section 7.1 says. Trailer lines and the final empty line may
//! also end in a bare LF, which section 2.2 lets a recipient accept for
//! field lines, as chapter 5's `read_line` does. A CR anywhere else in a
//! line is `Malformed`.
//!
//! Limits, so that a peer cannot make the server buffer without end: at
//! most `MAX_LINE` bytes in a size or trailer line (not counting its
//! ending), at most `MAX_TRAILER_LINES` trailer fields, at most `max_body`
//! bytes of data in all (exactly `max_body` is fine). Going over any of
//! them is `TooLarge`, found as soon as the size line is read, before any
//! of the chunk's data. A size too large for a `usize` is `TooLarge` too,
//! never an overflow. The stream ending before the final empty line is
//! `UnexpectedEof`; a read error is `Io`. Nothing may panic.
//!
//! Check your solution with `cargo xtask exercise 5.2`.

use std::io::{self, BufRead};

/// The longest size line or trailer line, without its line ending.
pub const MAX_LINE: usize = 4096;
/// The most field lines a trailer section may have.
pub const MAX_TRAILER_LINES: usize = 100;

/// Why a chunked body was refused.
#[derive(Debug)]
pub enum ChunkedError {
    /// Not the chunked coding: a server answers 400 Bad Request.
    Malformed(&'static str),
    /// Over `max_body`, or a line or the trailer section over its limit:
    /// 413 Content Too Large.
    TooLarge,
    /// The stream ended before the body did.
    UnexpectedEof,
    /// Reading failed (a timeout, say: 408 Request Timeout).
    Io(io::Error),
}

/// Reads a chunked body from `reader`, up to and including its final empty
/// line and not a byte further, and returns the data: at most `max_body`
/// bytes. Chunk extensions and trailer fields are read and discarded.
pub fn read_chunked(
    reader: &mut impl BufRead,
    max_body: usize,
) -> Result<Vec<u8>, ChunkedError> {
    let _ = reader;
    todo!("exercise 5.2: decode a chunked body of at most {max_body} bytes")
}
