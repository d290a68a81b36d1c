//! IPv4 and UDP headers, built and parsed by hand from a byte buffer, with
//! the Internet checksum that protects them.
//!
//! Everything on the wire is big-endian ("network byte order"): a 16-bit
//! field `0x1ec6` is the two bytes `1e c6`, whatever the CPU's own order.

use std::fmt::{self, Write as _};
use std::net::{Ipv4Addr, SocketAddrV4};

/// IP protocol numbers: what the IPv4 header's protocol field says the
/// payload is.
pub const ICMP: u8 = 1;
pub const TCP: u8 = 6;
pub const UDP: u8 = 17;

/// The name of an IP protocol number, for people.
pub fn protocol_name(protocol: u8) -> &'static str {
    match protocol {
        ICMP => "ICMP",
        TCP => "TCP",
        UDP => "UDP",
        _ => "other",
    }
}

// ANCHOR: checksum
/// The 16-bit one's complement sum of `parts`, read as one stream of
/// big-endian 16-bit words (RFC 1071). An odd last byte is padded with zero.
pub fn ones_complement_sum(parts: &[&[u8]]) -> u16 {
    let mut sum: u32 = 0;
    let mut bytes = parts.iter().flat_map(|part| part.iter().copied());
    while let Some(high) = bytes.next() {
        let low = bytes.next().unwrap_or(0);
        sum += u32::from(u16::from_be_bytes([high, low]));
        // End-around carry: a carry out of bit 15 comes back in at bit 0.
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// The Internet checksum: the one's complement of that sum. A receiver
/// sums the data *with* the checksum in it and expects all ones, 0xffff.
pub fn internet_checksum(parts: &[&[u8]]) -> u16 {
    !ones_complement_sum(parts)
}
// ANCHOR_END: checksum

/// What a receiver concludes from a checksum field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    /// The data and the checksum agree.
    Valid,
    /// They disagree; `expected` is what the field should hold.
    Wrong { expected: u16 },
    /// The field is zero: a UDP sender over IPv4 may skip the checksum.
    NotUsed,
}

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Checksum::Valid => f.write_str("valid"),
            Checksum::Wrong { expected } => {
                write!(f, "WRONG, should be {expected:#06x}")
            }
            Checksum::NotUsed => f.write_str("not used"),
        }
    }
}

/// Why a buffer is not the packet we expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PacketError {
    /// Fewer bytes than the header (or a length field) says there are.
    Truncated {
        what: &'static str,
        need: usize,
        have: usize,
    },
    /// The version field is not 4.
    NotIpv4 { version: u8 },
    /// The header length field is below the 5-word minimum.
    BadHeaderLength { bytes: usize },
    /// The TCP data offset is below the 5-word minimum.
    BadTcpHeaderLength { bytes: usize },
    /// The total length is shorter than the header itself.
    BadTotalLength { total: usize },
    /// The UDP length field is shorter than the UDP header.
    BadUdpLength { length: usize },
    /// The IPv4 payload is not UDP.
    NotUdp { protocol: u8 },
    /// A fragment holds only part of a datagram.
    Fragment,
    /// The payload does not fit in one IPv4 packet.
    TooLong { payload: usize },
}

impl fmt::Display for PacketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PacketError::Truncated { what, need, have } => {
                write!(f, "{what} truncated: need {need} bytes, have {have}")
            }
            PacketError::NotIpv4 { version } => {
                write!(f, "IP version {version}, not 4")
            }
            PacketError::BadHeaderLength { bytes } => {
                write!(
                    f,
                    "IPv4 header length {bytes} bytes is below the minimum of 20"
                )
            }
            PacketError::BadTcpHeaderLength { bytes } => {
                write!(
                    f,
                    "TCP header length {bytes} bytes is below the minimum of 20"
                )
            }
            PacketError::BadTotalLength { total } => {
                write!(
                    f,
                    "IPv4 total length {total} is shorter than its header"
                )
            }
            PacketError::BadUdpLength { length } => {
                write!(
                    f,
                    "UDP length {length} is shorter than the 8-byte UDP header"
                )
            }
            PacketError::NotUdp { protocol } => write!(
                f,
                "protocol {protocol} ({}), not UDP",
                protocol_name(*protocol)
            ),
            PacketError::Fragment => {
                f.write_str("a fragment, not a whole UDP datagram")
            }
            PacketError::TooLong { payload } => {
                write!(
                    f,
                    "{payload} bytes of data do not fit in one IPv4 packet"
                )
            }
        }
    }
}

impl std::error::Error for PacketError {}

fn need(
    what: &'static str,
    bytes: &[u8],
    need: usize,
) -> Result<(), PacketError> {
    if bytes.len() < need {
        return Err(PacketError::Truncated {
            what,
            need,
            have: bytes.len(),
        });
    }
    Ok(())
}

fn word(bytes: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([bytes[at], bytes[at + 1]])
}

/// The "don't fragment" bit in [`Ipv4Header::flags`].
pub const DONT_FRAGMENT: u8 = 0b010;
/// The "more fragments" bit in [`Ipv4Header::flags`].
pub const MORE_FRAGMENTS: u8 = 0b001;

// ANCHOR: ipv4_struct
/// An IPv4 header (RFC 791), one field per member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv4Header {
    /// Differentiated services and ECN; once called "type of service".
    pub dscp_ecn: u8,
    /// Length of the whole packet, this header included, in bytes.
    pub total_length: u16,
    /// Tells the fragments of one packet apart from those of another.
    pub identification: u16,
    /// Three bits: reserved, DF (don't fragment), MF (more fragments).
    pub flags: u8,
    /// Where this fragment starts in the original packet, in 8-byte units.
    pub fragment_offset: u16,
    /// Hops left; each router subtracts one and drops the packet at zero.
    pub ttl: u8,
    /// What the payload is: 1 ICMP, 6 TCP, 17 UDP.
    pub protocol: u8,
    /// The Internet checksum of this header (not of the payload).
    pub checksum: u16,
    pub source: Ipv4Addr,
    pub destination: Ipv4Addr,
    /// Options (rare): a multiple of 4 bytes, at most 40.
    pub options: Vec<u8>,
}
// ANCHOR_END: ipv4_struct

impl Ipv4Header {
    /// The header without options: 5 words of 32 bits.
    pub const MIN_LEN: usize = 20;

    pub fn header_len(&self) -> usize {
        Self::MIN_LEN + self.options.len()
    }

    // ANCHOR: ipv4_bytes
    /// The header as it goes on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        let words = (self.header_len() / 4) as u8;
        let mut out = Vec::with_capacity(self.header_len());
        out.push(4 << 4 | words); // version 4, header length in words
        out.push(self.dscp_ecn);
        out.extend(self.total_length.to_be_bytes());
        out.extend(self.identification.to_be_bytes());
        out.extend(
            (u16::from(self.flags) << 13 | self.fragment_offset).to_be_bytes(),
        );
        out.push(self.ttl);
        out.push(self.protocol);
        out.extend(self.checksum.to_be_bytes());
        out.extend(self.source.octets());
        out.extend(self.destination.octets());
        out.extend(&self.options);
        out
    }

    /// Computes the checksum over the header with the field set to zero.
    pub fn fill_checksum(&mut self) {
        self.checksum = 0;
        self.checksum = internet_checksum(&[&self.to_bytes()]);
    }

    /// Sums the header, checksum included: all ones means it is intact.
    pub fn check_checksum(&self) -> Checksum {
        if ones_complement_sum(&[&self.to_bytes()]) == 0xffff {
            return Checksum::Valid;
        }
        let mut fixed = self.clone();
        fixed.fill_checksum();
        Checksum::Wrong {
            expected: fixed.checksum,
        }
    }
    // ANCHOR_END: ipv4_bytes

    // ANCHOR: ipv4_parse
    /// Reads a header from the start of `bytes`. Returns it with the
    /// payload: the bytes after the header, up to the total length (a
    /// link layer may pad short frames; the padding is not payload).
    pub fn parse(bytes: &[u8]) -> Result<(Ipv4Header, &[u8]), PacketError> {
        need("IPv4 header", bytes, Self::MIN_LEN)?;
        let version = bytes[0] >> 4;
        if version != 4 {
            return Err(PacketError::NotIpv4 { version });
        }
        let header_len = usize::from(bytes[0] & 0x0f) * 4;
        if header_len < Self::MIN_LEN {
            return Err(PacketError::BadHeaderLength { bytes: header_len });
        }
        need("IPv4 header", bytes, header_len)?;
        let total_length = word(bytes, 2);
        let total = usize::from(total_length);
        if total < header_len {
            return Err(PacketError::BadTotalLength { total });
        }
        need("IPv4 packet", bytes, total)?;
        let fragment = word(bytes, 6);
        let header = Ipv4Header {
            dscp_ecn: bytes[1],
            total_length,
            identification: word(bytes, 4),
            flags: (fragment >> 13) as u8,
            fragment_offset: fragment & 0x1fff,
            ttl: bytes[8],
            protocol: bytes[9],
            checksum: word(bytes, 10),
            source: Ipv4Addr::new(bytes[12], bytes[13], bytes[14], bytes[15]),
            destination: Ipv4Addr::new(
                bytes[16], bytes[17], bytes[18], bytes[19],
            ),
            options: bytes[Self::MIN_LEN..header_len].to_vec(),
        };
        Ok((header, &bytes[header_len..total]))
    }
    // ANCHOR_END: ipv4_parse
}

/// A UDP header (RFC 768): four 16-bit fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UdpHeader {
    pub source_port: u16,
    pub destination_port: u16,
    /// Header plus data, in bytes.
    pub length: u16,
    /// Covers a pseudo-header, the UDP header and the data. Zero: not used.
    pub checksum: u16,
}

// ANCHOR: pseudo_header
/// The pseudo-header: the IP fields UDP's checksum also covers, so that a
/// datagram delivered to the wrong address fails its checksum.
pub fn pseudo_header(
    source: Ipv4Addr,
    destination: Ipv4Addr,
    udp_length: u16,
) -> [u8; 12] {
    let mut pseudo = [0u8; 12];
    pseudo[0..4].copy_from_slice(&source.octets());
    pseudo[4..8].copy_from_slice(&destination.octets());
    pseudo[8] = 0;
    pseudo[9] = UDP;
    pseudo[10..12].copy_from_slice(&udp_length.to_be_bytes());
    pseudo
}
// ANCHOR_END: pseudo_header

impl UdpHeader {
    pub const LEN: usize = 8;

    pub fn to_bytes(&self) -> [u8; 8] {
        let mut out = [0u8; 8];
        out[0..2].copy_from_slice(&self.source_port.to_be_bytes());
        out[2..4].copy_from_slice(&self.destination_port.to_be_bytes());
        out[4..6].copy_from_slice(&self.length.to_be_bytes());
        out[6..8].copy_from_slice(&self.checksum.to_be_bytes());
        out
    }

    // ANCHOR: udp_compute
    /// The checksum this header should carry for `data` between
    /// `source` and `destination`.
    pub fn compute_checksum(
        &self,
        source: Ipv4Addr,
        destination: Ipv4Addr,
        data: &[u8],
    ) -> u16 {
        let zeroed = UdpHeader {
            checksum: 0,
            ..*self
        };
        let pseudo = pseudo_header(source, destination, self.length);
        match internet_checksum(&[&pseudo, &zeroed.to_bytes(), data]) {
            // Zero on the wire means "no checksum", so a computed zero is
            // sent as its other one's complement spelling, all ones.
            0 => 0xffff,
            sum => sum,
        }
    }
    // ANCHOR_END: udp_compute

    pub fn check_checksum(
        &self,
        source: Ipv4Addr,
        destination: Ipv4Addr,
        data: &[u8],
    ) -> Checksum {
        if self.checksum == 0 {
            return Checksum::NotUsed;
        }
        let pseudo = pseudo_header(source, destination, self.length);
        if ones_complement_sum(&[&pseudo, &self.to_bytes(), data]) == 0xffff {
            Checksum::Valid
        } else {
            Checksum::Wrong {
                expected: self.compute_checksum(source, destination, data),
            }
        }
    }

    /// Reads a UDP header from the start of `bytes`; returns it with the
    /// data, which the length field delimits.
    pub fn parse(bytes: &[u8]) -> Result<(UdpHeader, &[u8]), PacketError> {
        need("UDP header", bytes, Self::LEN)?;
        let header = UdpHeader {
            source_port: word(bytes, 0),
            destination_port: word(bytes, 2),
            length: word(bytes, 4),
            checksum: word(bytes, 6),
        };
        let length = usize::from(header.length);
        if length < Self::LEN {
            return Err(PacketError::BadUdpLength { length });
        }
        need("UDP datagram", bytes, length)?;
        Ok((header, &bytes[Self::LEN..length]))
    }
}

/// The fixed part of a TCP header (RFC 9293), enough to follow a
/// connection: ports, sequence and acknowledgment numbers, flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpHeader {
    pub source_port: u16,
    pub destination_port: u16,
    /// The number of the first data byte in this segment (a SYN or FIN
    /// counts as one byte too).
    pub sequence: u32,
    /// The next byte the sender expects; meaningful when ACK is set.
    pub acknowledgment: u32,
    /// Header length in bytes: 20, plus options.
    pub header_len: usize,
    pub flags: u8,
    pub window: u16,
    pub checksum: u16,
}

pub const FIN: u8 = 0x01;
pub const SYN: u8 = 0x02;
pub const RST: u8 = 0x04;
pub const PSH: u8 = 0x08;
pub const ACK: u8 = 0x10;

impl TcpHeader {
    pub const MIN_LEN: usize = 20;

    /// Reads a TCP header from the start of `bytes`; returns it with the
    /// data after it.
    pub fn parse(bytes: &[u8]) -> Result<(TcpHeader, &[u8]), PacketError> {
        need("TCP header", bytes, Self::MIN_LEN)?;
        let header_len = usize::from(bytes[12] >> 4) * 4;
        if header_len < Self::MIN_LEN {
            return Err(PacketError::BadTcpHeaderLength { bytes: header_len });
        }
        need("TCP header", bytes, header_len)?;
        let long = |at: usize| {
            u32::from_be_bytes([
                bytes[at],
                bytes[at + 1],
                bytes[at + 2],
                bytes[at + 3],
            ])
        };
        let header = TcpHeader {
            source_port: word(bytes, 0),
            destination_port: word(bytes, 2),
            sequence: long(4),
            acknowledgment: long(8),
            header_len,
            flags: bytes[13],
            window: word(bytes, 14),
            checksum: word(bytes, 16),
        };
        Ok((header, &bytes[header_len..]))
    }

    /// The flags set, such as `SYN+ACK`.
    pub fn flag_names(&self) -> String {
        let names = [
            (SYN, "SYN"),
            (FIN, "FIN"),
            (RST, "RST"),
            (PSH, "PSH"),
            (ACK, "ACK"),
        ];
        let set: Vec<&str> = names
            .iter()
            .filter(|(bit, _)| self.flags & bit != 0)
            .map(|(_, name)| *name)
            .collect();
        set.join("+")
    }
}

/// An IPv4 packet that carries one whole UDP datagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpPacket<'a> {
    pub ip: Ipv4Header,
    pub udp: UdpHeader,
    pub data: &'a [u8],
}

impl UdpPacket<'_> {
    pub fn source(&self) -> SocketAddrV4 {
        SocketAddrV4::new(self.ip.source, self.udp.source_port)
    }

    pub fn destination(&self) -> SocketAddrV4 {
        SocketAddrV4::new(self.ip.destination, self.udp.destination_port)
    }

    pub fn check_udp_checksum(&self) -> Checksum {
        self.udp
            .check_checksum(self.ip.source, self.ip.destination, self.data)
    }
}

// ANCHOR: build
/// Builds an IPv4 packet carrying a UDP datagram: the UDP header first
/// (its checksum needs the IP addresses), then the IP header around it.
pub fn build_udp_packet(
    source: SocketAddrV4,
    destination: SocketAddrV4,
    identification: u16,
    data: &[u8],
) -> Result<Vec<u8>, PacketError> {
    let too_long = |_| PacketError::TooLong {
        payload: data.len(),
    };
    let total_length =
        u16::try_from(Ipv4Header::MIN_LEN + UdpHeader::LEN + data.len())
            .map_err(too_long)?;
    let mut udp = UdpHeader {
        source_port: source.port(),
        destination_port: destination.port(),
        length: (UdpHeader::LEN + data.len()) as u16, // < total_length
        checksum: 0,
    };
    udp.checksum = udp.compute_checksum(*source.ip(), *destination.ip(), data);
    let mut ip = Ipv4Header {
        dscp_ecn: 0,
        total_length,
        identification,
        flags: DONT_FRAGMENT,
        fragment_offset: 0,
        ttl: 64,
        protocol: UDP,
        checksum: 0,
        source: *source.ip(),
        destination: *destination.ip(),
        options: Vec::new(),
    };
    ip.fill_checksum();
    let mut packet = ip.to_bytes();
    packet.extend(udp.to_bytes());
    packet.extend(data);
    Ok(packet)
}
// ANCHOR_END: build

/// Parses an IPv4 packet and the UDP datagram inside it. Checksums are
/// not enforced here: [`Ipv4Header::check_checksum`] and
/// [`UdpPacket::check_udp_checksum`] report them, as a capture tool would.
pub fn parse_udp_packet(bytes: &[u8]) -> Result<UdpPacket<'_>, PacketError> {
    let (ip, payload) = Ipv4Header::parse(bytes)?;
    if ip.protocol != UDP {
        return Err(PacketError::NotUdp {
            protocol: ip.protocol,
        });
    }
    if ip.flags & MORE_FRAGMENTS != 0 || ip.fragment_offset != 0 {
        return Err(PacketError::Fragment);
    }
    let (udp, data) = UdpHeader::parse(payload)?;
    Ok(UdpPacket { ip, udp, data })
}

/// Reads hexadecimal bytes such as `45 00 00 21` or `45000021` (spaces,
/// newlines and colons are ignored).
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|byte| !byte.is_ascii_whitespace() && *byte != b':')
        .collect();
    if !digits.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", digits.len()));
    }
    digits
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair)
                .map_err(|_| "not hexadecimal".to_owned())?;
            u8::from_str_radix(pair, 16)
                .map_err(|_| format!("`{pair}` is not a hex byte"))
        })
        .collect()
}

/// A hex dump of `bytes`, one field per line, each field labelled.
struct Dump {
    text: String,
    offset: usize,
}

impl Dump {
    fn field(&mut self, bytes: &[u8], label: impl fmt::Display) {
        let hex: Vec<String> =
            bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        let _ = writeln!(
            self.text,
            "{:>6}  {:<24} {label}",
            self.offset,
            hex.join(" ")
        );
        self.offset += bytes.len();
    }

    fn heading(&mut self, heading: impl fmt::Display) {
        let _ = writeln!(self.text, "{heading}");
    }
}

fn describe_flags(flags: u8) -> String {
    let mut names = Vec::new();
    if flags & 0b100 != 0 {
        names.push("reserved");
    }
    if flags & DONT_FRAGMENT != 0 {
        names.push("DF");
    }
    if flags & MORE_FRAGMENTS != 0 {
        names.push("MF");
    }
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join("+")
    }
}

/// Parses an IPv4/UDP packet and labels every byte of it: a hex dump with
/// each field named and decoded, checksums verified.
pub fn annotate(bytes: &[u8]) -> Result<String, PacketError> {
    let packet = parse_udp_packet(bytes)?;
    let (ip, udp) = (&packet.ip, &packet.udp);
    let mut dump = Dump {
        text: format!("offset  bytes{:20}field\n", ""),
        offset: 0,
    };
    dump.heading(format_args!("IPv4 header ({} bytes)", ip.header_len()));
    let words = ip.header_len() / 4;
    dump.field(
        &bytes[0..1],
        format_args!("version 4, header length {words} × 4 bytes"),
    );
    dump.field(&bytes[1..2], format_args!("DSCP/ECN {:#04x}", ip.dscp_ecn));
    dump.field(
        &bytes[2..4],
        format_args!("total length {}", ip.total_length),
    );
    dump.field(
        &bytes[4..6],
        format_args!("identification {:#06x}", ip.identification),
    );
    let (flags, offset) = (describe_flags(ip.flags), ip.fragment_offset);
    dump.field(
        &bytes[6..8],
        format_args!("flags {flags}, fragment offset {offset}"),
    );
    dump.field(&bytes[8..9], format_args!("TTL {}", ip.ttl));
    let name = protocol_name(ip.protocol);
    dump.field(
        &bytes[9..10],
        format_args!("protocol {} ({name})", ip.protocol),
    );
    let check = ip.check_checksum();
    dump.field(
        &bytes[10..12],
        format_args!("header checksum {:#06x} ({check})", ip.checksum),
    );
    dump.field(&bytes[12..16], format_args!("source {}", ip.source));
    dump.field(
        &bytes[16..20],
        format_args!("destination {}", ip.destination),
    );
    if !ip.options.is_empty() {
        dump.field(&ip.options, "options");
    }
    let at = ip.header_len();
    dump.heading(format_args!("UDP header ({} bytes)", UdpHeader::LEN));
    dump.field(
        &bytes[at..at + 2],
        format_args!("source port {}", udp.source_port),
    );
    dump.field(
        &bytes[at + 2..at + 4],
        format_args!("destination port {}", udp.destination_port),
    );
    dump.field(
        &bytes[at + 4..at + 6],
        format_args!("length {}", udp.length),
    );
    let check = packet.check_udp_checksum();
    dump.field(
        &bytes[at + 6..at + 8],
        format_args!("checksum {:#06x} ({check})", udp.checksum),
    );
    dump.heading(format_args!("data ({} bytes)", packet.data.len()));
    for chunk in packet.data.chunks(8) {
        dump.field(chunk, format_args!("\"{}\"", chunk.escape_ascii()));
    }
    let trailing = bytes.len() - usize::from(ip.total_length);
    if trailing > 0 {
        let _ = writeln!(
            dump.text,
            "({trailing} bytes after the IPv4 packet: not part of it)"
        );
    }
    Ok(dump.text)
}
