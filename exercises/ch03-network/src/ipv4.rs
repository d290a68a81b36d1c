//! Exercise 3.2: an IPv4 header parser that trusts nothing.
//!
//! Write `parse_ipv4`, which reads the IPv4 header (RFC 791) at the start
//! of a buffer that came from the network. It returns every field of the
//! header in an `Ipv4Header`, or the first thing wrong with it as a
//! `HeaderError`, checked in this order:
//!
//! 1. fewer than 20 bytes: `TooShort`;
//! 2. the version (the high 4 bits of byte 0) is not 4: `NotIpv4`;
//! 3. the IHL (the low 4 bits, in 32-bit words) is below 5: `BadIhl`;
//! 4. the header (IHL × 4 bytes) is longer than the buffer:
//!    `HeaderTruncated`;
//! 5. the one's complement sum (RFC 1071) of the whole header, checksum
//!    field included, is not 0xffff: `BadChecksum`, with `expected` the
//!    value the checksum field would have to hold;
//! 6. the total length is shorter than the header: `TotalLengthTooSmall`;
//! 7. the total length is longer than the buffer: `Truncated`.
//!
//! The payload runs from the end of the header to the total length; bytes
//! after it (a link layer's padding) are not part of the packet. No input
//! may make `parse_ipv4` panic.
//!
//! Check your solution with `cargo xtask exercise 3.2`.

use std::net::Ipv4Addr;
use std::ops::Range;

/// An IPv4 header (RFC 791), and where its payload is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv4Header {
    /// Always 4 in a header that parsed.
    pub version: u8,
    /// The header's length in 32-bit words, 5 to 15.
    pub ihl: u8,
    /// Differentiated services code point: the top 6 bits of byte 1.
    pub dscp: u8,
    /// Explicit congestion notification: the low 2 bits of byte 1.
    pub ecn: u8,
    /// The whole packet's length in bytes, header included.
    pub total_length: u16,
    pub identification: u16,
    /// DF, "don't fragment".
    pub dont_fragment: bool,
    /// MF, "more fragments".
    pub more_fragments: bool,
    /// Where this fragment starts in the original packet, in 8-byte units.
    pub fragment_offset: u16,
    pub ttl: u8,
    pub protocol: u8,
    pub checksum: u16,
    pub source: Ipv4Addr,
    pub destination: Ipv4Addr,
    /// The bytes between the 20-byte fixed header and the payload.
    pub options: Vec<u8>,
    /// Where the payload is in the buffer: `&packet[header.payload.clone()]`,
    /// from the end of the header up to the total length.
    pub payload: Range<usize>,
}

/// Why a buffer is not a valid IPv4 packet, in the order `parse_ipv4`
/// checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// Fewer than 20 bytes: not even a header without options.
    TooShort { len: usize },
    /// The version field is not 4.
    NotIpv4 { version: u8 },
    /// The IHL field is below 5 words.
    BadIhl { ihl: u8 },
    /// The header is longer (`header_len` bytes) than the buffer.
    HeaderTruncated { header_len: usize, len: usize },
    /// The header does not sum to 0xffff; `expected` is what the checksum
    /// field would have to hold.
    BadChecksum { found: u16, expected: u16 },
    /// The total length is shorter than the header.
    TotalLengthTooSmall {
        total_length: u16,
        header_len: usize,
    },
    /// The total length is longer than the buffer.
    Truncated { total_length: u16, len: usize },
}

/// Parses the IPv4 header at the start of `packet`.
pub fn parse_ipv4(packet: &[u8]) -> Result<Ipv4Header, HeaderError> {
    todo!(
        "exercise 3.2: parse the {} bytes {packet:02x?}",
        packet.len()
    )
}
