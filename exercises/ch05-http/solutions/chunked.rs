//! Exercise 5.2, a solution: decoding a chunked body (RFC 9112, section
//! 7.1) with a bound on everything a peer sends.

use std::io::{self, BufRead, Read};

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

/// How a line may end.
#[derive(Clone, Copy, PartialEq)]
enum Ending {
    /// Only CRLF: the size line, as section 7.1's grammar says.
    Crlf,
    /// CRLF or a bare LF: trailer fields and the final empty line, like
    /// the head's fields (RFC 9112, section 2.2).
    CrlfOrLf,
}

/// Reads one line of at most `MAX_LINE` bytes, without its line ending.
fn read_line(
    reader: &mut impl BufRead,
    ending: Ending,
) -> Result<Vec<u8>, ChunkedError> {
    let cap = MAX_LINE + 2;
    let mut line = Vec::new();
    // `take` stops `read_until` after `cap` bytes, even if no LF comes.
    let read = reader.take(cap as u64).read_until(b'\n', &mut line);
    let n = read.map_err(ChunkedError::Io)?;
    if line.pop() != Some(b'\n') {
        return Err(if n < cap {
            ChunkedError::UnexpectedEof
        } else {
            ChunkedError::TooLarge
        });
    }
    match line.pop() {
        Some(b'\r') => {}
        Some(other) if ending == Ending::CrlfOrLf => line.push(other),
        None if ending == Ending::CrlfOrLf => {}
        _ => {
            return Err(ChunkedError::Malformed(
                "a line ends in LF without CR",
            ));
        }
    }
    if line.len() > MAX_LINE {
        return Err(ChunkedError::TooLarge);
    }
    if line.contains(&b'\r') {
        return Err(ChunkedError::Malformed("a bare CR"));
    }
    Ok(line)
}

/// Reads one byte; end of stream is an unexpected end here.
fn read_byte(reader: &mut impl BufRead) -> Result<u8, ChunkedError> {
    let mut byte = [0];
    match reader.read_exact(&mut byte) {
        Ok(()) => Ok(byte[0]),
        Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => {
            Err(ChunkedError::UnexpectedEof)
        }
        Err(err) => Err(ChunkedError::Io(err)),
    }
}

/// The size in `chunk-size [ chunk-ext ]`, if it is at most `room`.
fn chunk_size(line: &[u8], room: usize) -> Result<usize, ChunkedError> {
    let digits = line
        .iter()
        .take_while(|byte| byte.is_ascii_hexdigit())
        .count();
    if digits == 0 {
        return Err(ChunkedError::Malformed(
            "the chunk size is not hexadecimal",
        ));
    }
    // Extensions: optional spaces or tabs, then `;`. Their content is
    // ignored, but it must not hide control characters.
    let rest = &line[digits..];
    let blanks = rest
        .iter()
        .take_while(|&&byte| matches!(byte, b' ' | b'\t'));
    let extensions = &rest[blanks.count()..];
    if !rest.is_empty() && extensions.first() != Some(&b';') {
        return Err(ChunkedError::Malformed("junk after the chunk size"));
    }
    if extensions
        .iter()
        .any(|&byte| byte.is_ascii_control() && byte != b'\t')
    {
        return Err(ChunkedError::Malformed(
            "a control character in an extension",
        ));
    }
    // Checked arithmetic, and a stop as soon as the size is over the
    // room left: `ffffffffffffffffffff` is too large, not an overflow.
    let mut size: usize = 0;
    for &digit in &line[..digits] {
        let value = (digit as char).to_digit(16).unwrap_or(0) as usize;
        size = size
            .checked_mul(16)
            .and_then(|size| size.checked_add(value))
            .filter(|&size| size <= room)
            .ok_or(ChunkedError::TooLarge)?;
    }
    Ok(size)
}

/// Checks a trailer line: `name: value`, the name a token.
fn check_field_line(line: &[u8]) -> Result<(), ChunkedError> {
    let colon = line.iter().position(|&byte| byte == b':');
    let name = &line[..colon.unwrap_or(line.len())];
    let is_tchar = |byte: &u8| {
        byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(byte)
    };
    if colon.is_none() || name.is_empty() || !name.iter().all(is_tchar) {
        // This also refuses a line folded onto the previous one.
        return Err(ChunkedError::Malformed(
            "a trailer line is not name: value",
        ));
    }
    Ok(())
}

/// Reads a chunked body from `reader`, up to and including its final empty
/// line and not a byte further, and returns the data: at most `max_body`
/// bytes. Chunk extensions and trailer fields are read and discarded.
pub fn read_chunked(
    reader: &mut impl BufRead,
    max_body: usize,
) -> Result<Vec<u8>, ChunkedError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader, Ending::Crlf)?;
        let size = chunk_size(&line, max_body - body.len())?;
        if size == 0 {
            break;
        }
        // The peer's size is not trusted with an allocation: the body
        // grows with the bytes that actually arrive.
        let start = body.len();
        reader
            .take(size as u64)
            .read_to_end(&mut body)
            .map_err(ChunkedError::Io)?;
        if body.len() - start < size {
            return Err(ChunkedError::UnexpectedEof);
        }
        if read_byte(reader)? != b'\r' || read_byte(reader)? != b'\n' {
            return Err(ChunkedError::Malformed(
                "no CRLF after the chunk data",
            ));
        }
    }
    for _ in 0..=MAX_TRAILER_LINES {
        let line = read_line(reader, Ending::CrlfOrLf)?;
        if line.is_empty() {
            return Ok(body);
        }
        check_field_line(&line)?;
    }
    Err(ChunkedError::TooLarge)
}
