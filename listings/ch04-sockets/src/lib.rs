//! Code shared by the chapter 4 listings: two ways to frame messages on a
//! TCP byte stream, a connected pair of loopback sockets, and a wait for
//! `poll(2)` events with a deadline.

use std::io::{self, BufRead, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

/// The longest line the echo server and client of Listings 4-1 and 4-2
/// accept, in bytes.
pub const MAX_LINE: usize = 1024;

// ANCHOR: length_prefixed
/// Writes `payload` as one frame: its length as a 4-byte big-endian `u32`,
/// then the payload itself.
pub fn write_frame(writer: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let len = u32::try_from(payload.len()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "a frame holds at most u32::MAX bytes",
        )
    })?;
    // Header and payload in one buffer: one write_all, not two.
    let mut frame = Vec::with_capacity(4 + payload.len());
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(payload);
    writer.write_all(&frame)
}

/// Reads one frame written by [`write_frame`]. `Ok(None)` means the peer
/// closed the stream between frames; a frame longer than `max_len` is an
/// `InvalidData` error, and a stream that ends inside a frame is
/// `UnexpectedEof`.
pub fn read_frame(reader: &mut impl Read, max_len: usize) -> io::Result<Option<Vec<u8>>> {
    let mut header = [0u8; 4];
    let mut filled = 0;
    while filled < header.len() {
        match reader.read(&mut header[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err(io::Error::from(io::ErrorKind::UnexpectedEof)),
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    let len = u32::from_be_bytes(header) as usize;
    // Check the length before allocating: the peer chooses it.
    if len > max_len {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame of {len} bytes is over the limit of {max_len}"),
        ));
    }
    // `take` + `read_to_end` grows the buffer as bytes arrive, so a peer
    // that announces a large frame and sends nothing costs nothing.
    let mut payload = Vec::new();
    reader.take(len as u64).read_to_end(&mut payload)?;
    if payload.len() < len {
        return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
    }
    Ok(Some(payload))
}
// ANCHOR_END: length_prefixed

// ANCHOR: line_delimited
/// Writes `message` followed by `\n`. A message that contains `\n` itself
/// would arrive as two messages, so it is refused.
pub fn write_line(writer: &mut impl Write, message: &[u8]) -> io::Result<()> {
    if message.contains(&b'\n') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a line-delimited message cannot contain '\\n'",
        ));
    }
    let mut line = Vec::with_capacity(message.len() + 1);
    line.extend_from_slice(message);
    line.push(b'\n');
    writer.write_all(&line)
}

/// Reads one `\n`-terminated line of at most `max_len` bytes (not counting
/// the `\n`, which is removed). `Ok(None)` means the peer closed the stream
/// between lines; a longer line is an `InvalidData` error, and a stream that
/// ends inside a line is `UnexpectedEof`.
pub fn read_line(reader: &mut impl BufRead, max_len: usize) -> io::Result<Option<Vec<u8>>> {
    let limit = max_len as u64 + 1;
    let mut line = Vec::new();
    // `read_until` alone would buffer without bound while waiting for a
    // '\n' that may never come; `take` stops it after max_len + 1 bytes.
    reader.by_ref().take(limit).read_until(b'\n', &mut line)?;
    match line.last() {
        None => Ok(None),
        Some(b'\n') => {
            line.pop();
            Ok(Some(line))
        }
        Some(_) if line.len() as u64 == limit => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("line longer than {max_len} bytes"),
        )),
        Some(_) => Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the stream ended in the middle of a line",
        )),
    }
}
// ANCHOR_END: line_delimited

// ANCHOR: loopback_pair
/// A connected pair of TCP sockets on 127.0.0.1: `(client, server)`.
pub fn loopback_pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    Ok((client, server))
}
// ANCHOR_END: loopback_pair

// ANCHOR: wait_for
/// Waits until `poll(2)` reports any of `events` on `socket`, at most
/// `timeout`, and returns all the events it reported.
pub fn wait_for(socket: &impl AsFd, events: PollFlags, timeout: Duration) -> io::Result<PollFlags> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut fds = [PollFd::new(socket.as_fd(), events)];
        let wait = PollTimeout::try_from(left).unwrap_or(PollTimeout::MAX);
        match poll(&mut fds, wait) {
            Ok(_) | Err(Errno::EINTR) => {}
            Err(errno) => return Err(errno.into()),
        }
        let seen = fds[0].revents().unwrap_or(PollFlags::empty());
        if seen.intersects(events) {
            return Ok(seen);
        }
        if left.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no {events:?} within {timeout:?}"),
            ));
        }
    }
}
// ANCHOR_END: wait_for

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor};
    use std::thread;

    /// A reader that hands out at most one byte per `read` call: the worst
    /// a TCP stream may legally do.
    struct OneByteAtATime<R>(R);

    impl<R: Read> Read for OneByteAtATime<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let len = buf.len().min(1);
            self.0.read(&mut buf[..len])
        }
    }

    const MIB: usize = 1024 * 1024;

    fn big_message() -> Vec<u8> {
        // Not all zeros, so a shifted or repeated chunk would be noticed.
        (0..MIB).map(|i| (i % 251) as u8).collect()
    }

    fn frames(messages: &[&[u8]]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for message in messages {
            write_frame(&mut bytes, message).unwrap();
        }
        bytes
    }

    #[test]
    fn a_frame_is_a_big_endian_length_then_the_payload() {
        assert_eq!(frames(&[b"hi"]), b"\x00\x00\x00\x02hi");
        assert_eq!(frames(&[b""]), b"\x00\x00\x00\x00");
    }

    #[test]
    fn frames_survive_a_reader_that_returns_one_byte_at_a_time() {
        let bytes = frames(&[b"first", b"", b"second"]);
        let mut reader = OneByteAtATime(Cursor::new(bytes));
        assert_eq!(read_frame(&mut reader, 64).unwrap().unwrap(), b"first");
        assert_eq!(read_frame(&mut reader, 64).unwrap().unwrap(), b"");
        assert_eq!(read_frame(&mut reader, 64).unwrap().unwrap(), b"second");
        assert!(read_frame(&mut reader, 64).unwrap().is_none());
    }

    #[test]
    fn a_one_mebibyte_frame_arrives_whole_one_byte_at_a_time() {
        let message = big_message();
        let bytes = frames(&[&message, b"after"]);
        let mut reader = OneByteAtATime(Cursor::new(bytes));
        assert_eq!(read_frame(&mut reader, MIB).unwrap().unwrap(), message);
        assert_eq!(read_frame(&mut reader, MIB).unwrap().unwrap(), b"after");
    }

    #[test]
    fn a_frame_over_the_limit_is_refused_before_its_payload_is_read() {
        // The header claims 4 GiB - 1; no payload follows.
        let mut reader = Cursor::new(vec![0xff, 0xff, 0xff, 0xff]);
        let err = read_frame(&mut reader, MIB).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(
            err.to_string(),
            "a frame of 4294967295 bytes is over the limit of 1048576"
        );
    }

    #[test]
    fn a_stream_that_ends_inside_a_frame_is_unexpected_eof() {
        let mut bytes = frames(&[b"complete"]);
        bytes.truncate(bytes.len() - 1);
        let err = read_frame(&mut Cursor::new(&bytes), 64).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        // Inside the header, too.
        let err = read_frame(&mut Cursor::new(&bytes[..2]), 64).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn lines_survive_a_reader_that_returns_one_byte_at_a_time() {
        let mut reader = BufReader::new(OneByteAtATime(Cursor::new(b"first\n\nsecond\n")));
        assert_eq!(read_line(&mut reader, 64).unwrap().unwrap(), b"first");
        assert_eq!(read_line(&mut reader, 64).unwrap().unwrap(), b"");
        assert_eq!(read_line(&mut reader, 64).unwrap().unwrap(), b"second");
        assert!(read_line(&mut reader, 64).unwrap().is_none());
    }

    #[test]
    fn a_one_mebibyte_line_arrives_whole_one_byte_at_a_time() {
        // A line cannot contain '\n': map the pattern onto letters.
        let message: Vec<u8> = big_message().iter().map(|b| b'a' + b % 26).collect();
        let mut bytes = Vec::new();
        write_line(&mut bytes, &message).unwrap();
        write_line(&mut bytes, b"after").unwrap();
        let mut reader = BufReader::new(OneByteAtATime(Cursor::new(bytes)));
        assert_eq!(read_line(&mut reader, MIB).unwrap().unwrap(), message);
        assert_eq!(read_line(&mut reader, MIB).unwrap().unwrap(), b"after");
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_accepted_and_one_more_byte_is_not() {
        let mut reader = Cursor::new(b"abcd\nabcde\n".to_vec());
        assert_eq!(read_line(&mut reader, 4).unwrap().unwrap(), b"abcd");
        let err = read_line(&mut reader, 4).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(err.to_string(), "line longer than 4 bytes");
    }

    #[test]
    fn a_line_without_newline_reads_at_most_limit_plus_one_bytes() {
        // An endless line: the reader must stop, not buffer forever.
        let mut endless = BufReader::new(io::repeat(b'x'));
        let err = read_line(&mut endless, 1000).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn a_stream_that_ends_inside_a_line_is_unexpected_eof() {
        let err = read_line(&mut Cursor::new(b"no newline"), 64).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn write_line_refuses_a_message_containing_a_newline() {
        let mut sink = Vec::new();
        let err = write_line(&mut sink, b"two\nlines").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(sink.is_empty());
    }

    #[test]
    fn both_framings_carry_one_mebibyte_over_a_real_socket() {
        let (mut client, server) = loopback_pair().unwrap();
        client.set_write_timeout(Some(harness::DEADLINE)).unwrap();
        server.set_read_timeout(Some(harness::DEADLINE)).unwrap();
        let frame = big_message();
        let line: Vec<u8> = frame.iter().map(|b| b'a' + b % 26).collect();
        let (frame_sent, line_sent) = (frame.clone(), line.clone());
        // Write from a thread: 2 MiB do not fit in the socket buffers.
        let writer = thread::spawn(move || {
            write_frame(&mut client, &frame_sent)?;
            write_line(&mut client, &line_sent)
        });
        let mut reader = BufReader::new(server);
        assert_eq!(read_frame(&mut reader, MIB).unwrap().unwrap(), frame);
        assert_eq!(read_line(&mut reader, MIB).unwrap().unwrap(), line);
        writer.join().unwrap().unwrap();
        // The writer closed its socket: a clean end between messages.
        assert!(read_frame(&mut reader, MIB).unwrap().is_none());
    }

    #[test]
    fn wait_for_reports_readable_data_and_times_out_without_it() {
        let (mut client, server) = loopback_pair().unwrap();
        let err = wait_for(&server, PollFlags::POLLIN, Duration::from_millis(20)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        client.write_all(b"x").unwrap();
        let seen = wait_for(&server, PollFlags::POLLIN, harness::DEADLINE).unwrap();
        assert!(seen.contains(PollFlags::POLLIN));
    }
}
