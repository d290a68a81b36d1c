//! Exercise 3.2, a solution: an IPv4 header parser that trusts nothing.

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
    /// from the end of the header up to the total length. Bytes after the
    /// total length (a link layer's padding) are not part of the packet.
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

/// The 16-bit one's complement sum of `bytes` (RFC 1071). The callers
/// here only pass headers, whose length is a multiple of 4.
fn ones_complement_sum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for pair in bytes.chunks(2) {
        let word = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
        sum += u32::from(word);
        // End-around carry: what overflows bit 15 comes back in at bit 0.
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// Parses the IPv4 header at the start of `packet`. Every length field is
/// checked before the bytes it promises are read, so no input panics.
pub fn parse_ipv4(packet: &[u8]) -> Result<Ipv4Header, HeaderError> {
    let len = packet.len();
    if len < 20 {
        return Err(HeaderError::TooShort { len });
    }
    let version = packet[0] >> 4;
    if version != 4 {
        return Err(HeaderError::NotIpv4 { version });
    }
    let ihl = packet[0] & 0x0f;
    if ihl < 5 {
        return Err(HeaderError::BadIhl { ihl });
    }
    let header_len = usize::from(ihl) * 4;
    if header_len > len {
        return Err(HeaderError::HeaderTruncated { header_len, len });
    }
    let header = &packet[..header_len];
    let word = |at: usize| u16::from_be_bytes([header[at], header[at + 1]]);
    // The checksum before any other field: until it verifies, the total
    // length is just a number that may have been damaged.
    let checksum = word(10);
    if ones_complement_sum(header) != 0xffff {
        let mut zeroed = header.to_vec();
        zeroed[10..12].fill(0);
        let expected = !ones_complement_sum(&zeroed);
        return Err(HeaderError::BadChecksum {
            found: checksum,
            expected,
        });
    }
    let total_length = word(2);
    if usize::from(total_length) < header_len {
        return Err(HeaderError::TotalLengthTooSmall {
            total_length,
            header_len,
        });
    }
    if usize::from(total_length) > len {
        return Err(HeaderError::Truncated { total_length, len });
    }
    let fragment = word(6);
    let address = |at: usize| {
        Ipv4Addr::new(
            header[at],
            header[at + 1],
            header[at + 2],
            header[at + 3],
        )
    };
    Ok(Ipv4Header {
        version,
        ihl,
        dscp: header[1] >> 2,
        ecn: header[1] & 0b11,
        total_length,
        identification: word(4),
        // The first of the three flag bits is reserved and ignored.
        dont_fragment: fragment & 0x4000 != 0,
        more_fragments: fragment & 0x2000 != 0,
        fragment_offset: fragment & 0x1fff,
        ttl: header[8],
        protocol: header[9],
        checksum,
        source: address(12),
        destination: address(16),
        options: header[20..].to_vec(),
        payload: header_len..usize::from(total_length),
    })
}
