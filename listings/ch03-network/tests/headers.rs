mod common;

use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::process::Command;
use std::time::Duration;

use ch03_network::packet::{
    ACK, Checksum, DONT_FRAGMENT, Ipv4Header, PacketError, SYN, TcpHeader, UDP,
    UdpHeader, build_udp_packet, internet_checksum, ones_complement_sum,
    parse_hex, parse_udp_packet, pseudo_header,
};
use harness::{check_output, run};

/// A real packet, captured on this book's build machine (Linux 6.18,
/// loopback) with an AF_PACKET socket as root:
///
/// ```text
/// cap = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP)); cap.bind(("lo", 0))
/// s = socket(AF_INET, SOCK_DGRAM); s.bind(("127.0.0.1", 40000))
/// s.connect(("127.0.0.1", 53535))
/// s.send(b"hello, ", MSG_MORE); s.send(b"world\n")
/// ```
///
/// MSG_MORE makes the kernel compute the UDP checksum in software, so the
/// capture holds the real one; a receiving UDP socket got the datagram,
/// so the kernel checked it too.
const CAPTURED: &str = "
    45 00 00 29 07 60 40 00 40 11 35 62 7f 00 00 01
    7f 00 00 01 9c 40 d1 1f 00 15 4a 15 68 65 6c 6c
    6f 2c 20 77 6f 72 6c 64 0a";

/// Captured the same way, but sent with a plain send(b"hello"): the
/// kernel left the UDP checksum to the (virtual) network card, so the
/// capture shows only the pseudo-header's sum there.
const CAPTURED_OFFLOADED: &str = "
    45 00 00 21 59 cb 40 00 40 11 e2 fe 7f 00 00 01
    7f 00 00 01 c0 49 81 3e 00 0d fe 20 68 65 6c 6c 6f";

#[test]
fn rfc1071_example_sums_to_ddf2_and_checksums_to_220d() {
    // RFC 1071, section 3: "Numerical Examples".
    let bytes = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
    assert_eq!(ones_complement_sum(&[&bytes]), 0xddf2);
    assert_eq!(internet_checksum(&[&bytes]), 0x220d);
    // The data with its checksum appended sums to all ones.
    assert_eq!(ones_complement_sum(&[&bytes, &[0x22, 0x0d]]), 0xffff);
    // Split anywhere, even at an odd byte, the stream sums the same.
    assert_eq!(ones_complement_sum(&[&bytes[..3], &bytes[3..]]), 0xddf2);
}

#[test]
fn an_odd_length_is_padded_with_a_zero_byte() {
    assert_eq!(ones_complement_sum(&[&[0x12, 0x34, 0x56]]), 0x1234 + 0x5600);
}

#[test]
fn captured_udp_packet_parses_field_by_field() {
    let bytes = parse_hex(CAPTURED).unwrap();
    let packet = parse_udp_packet(&bytes).unwrap();
    assert_eq!(
        packet.ip,
        Ipv4Header {
            dscp_ecn: 0,
            total_length: 41,
            identification: 0x0760,
            flags: DONT_FRAGMENT,
            fragment_offset: 0,
            ttl: 64,
            protocol: UDP,
            checksum: 0x3562,
            source: Ipv4Addr::LOCALHOST,
            destination: Ipv4Addr::LOCALHOST,
            options: vec![],
        }
    );
    assert_eq!(
        packet.udp,
        UdpHeader {
            source_port: 40000,
            destination_port: 53535,
            length: 21,
            checksum: 0x4a15,
        }
    );
    assert_eq!(packet.data, b"hello, world\n");
    assert_eq!(packet.ip.check_checksum(), Checksum::Valid);
    assert_eq!(packet.check_udp_checksum(), Checksum::Valid);
    // Building the same datagram by hand gives the captured bytes back.
    let rebuilt = build_udp_packet(
        packet.source(),
        packet.destination(),
        0x0760,
        packet.data,
    );
    assert_eq!(rebuilt.unwrap(), bytes);
}

#[test]
fn offloaded_checksum_in_a_capture_holds_only_the_pseudo_header_sum() {
    let bytes = parse_hex(CAPTURED_OFFLOADED).unwrap();
    let packet = parse_udp_packet(&bytes).unwrap();
    assert_eq!(packet.ip.check_checksum(), Checksum::Valid);
    let pseudo = pseudo_header(
        packet.ip.source,
        packet.ip.destination,
        packet.udp.length,
    );
    assert_eq!(packet.udp.checksum, ones_complement_sum(&[&pseudo]));
    assert_eq!(
        packet.check_udp_checksum(),
        Checksum::Wrong { expected: 0x7c77 }
    );
}

#[test]
fn build_then_parse_round_trips() {
    let source = SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 1), 5353);
    let destination = SocketAddrV4::new(Ipv4Addr::new(198, 51, 100, 7), 53);
    for data in [&b""[..], b"x", b"odd", b"even", &[0xff; 1000]] {
        let bytes =
            build_udp_packet(source, destination, 0xbeef, data).unwrap();
        assert_eq!(bytes.len(), 28 + data.len());
        let packet = parse_udp_packet(&bytes).unwrap();
        assert_eq!(packet.source(), source);
        assert_eq!(packet.destination(), destination);
        assert_eq!(packet.data, data);
        assert_eq!(packet.ip.identification, 0xbeef);
        assert_eq!(usize::from(packet.udp.length), 8 + data.len());
        assert_eq!(packet.ip.check_checksum(), Checksum::Valid);
        assert_eq!(packet.check_udp_checksum(), Checksum::Valid);
    }
}

#[test]
fn flipping_any_bit_breaks_a_checksum() {
    let source = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 40000);
    let destination = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 7878);
    let good = build_udp_packet(source, destination, 1, b"hello").unwrap();
    for bit in 0..good.len() * 8 {
        let mut bad = good.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        let caught = match parse_udp_packet(&bad) {
            // A bit in the IPv4 header breaks its checksum; a bit after it
            // breaks UDP's (the pseudo-header covers the addresses too).
            Ok(packet) if bit < 160 => {
                packet.ip.check_checksum() != Checksum::Valid
            }
            Ok(packet) => packet.check_udp_checksum() != Checksum::Valid,
            // Or the header no longer parses at all (version, lengths).
            Err(_) => true,
        };
        assert!(caught, "bit {bit} flipped unnoticed");
    }
}

#[test]
fn parse_refuses_what_is_not_a_whole_udp_packet() {
    let good = parse_hex(CAPTURED).unwrap();
    assert_eq!(
        parse_udp_packet(&good[..10]),
        Err(PacketError::Truncated {
            what: "IPv4 header",
            need: 20,
            have: 10
        })
    );
    assert_eq!(
        parse_udp_packet(&good[..30]),
        Err(PacketError::Truncated {
            what: "IPv4 packet",
            need: 41,
            have: 30
        })
    );
    let mut ipv6 = good.clone();
    ipv6[0] = 0x65;
    assert_eq!(
        parse_udp_packet(&ipv6),
        Err(PacketError::NotIpv4 { version: 6 })
    );
    let mut tcp = good.clone();
    tcp[9] = 6;
    assert_eq!(
        parse_udp_packet(&tcp),
        Err(PacketError::NotUdp { protocol: 6 })
    );
    let mut fragment = good.clone();
    fragment[6] = 0x20; // MF
    assert_eq!(parse_udp_packet(&fragment), Err(PacketError::Fragment));
    // Bytes after the total length (Ethernet pads short frames) are ignored.
    let mut padded = good.clone();
    padded.extend([0; 5]);
    assert_eq!(parse_udp_packet(&padded).unwrap().data, b"hello, world\n");
    assert!(matches!(
        build_udp_packet(
            SocketAddrV4::new(Ipv4Addr::LOCALHOST, 1),
            SocketAddrV4::new(Ipv4Addr::LOCALHOST, 2),
            0,
            &vec![0; 65508]
        ),
        Err(PacketError::TooLong { payload: 65508 })
    ));
}

#[test]
fn tcp_header_parse_reads_a_syn_ack() {
    // A SYN+ACK from port 7878 to 40000, seq 1000, ack 2001, 20-byte header.
    let bytes = parse_hex(
        "1e c6 9c 40 00 00 03 e8 00 00 07 d1 50 12 ff ff 00 00 00 00 61 62",
    )
    .unwrap();
    let (tcp, data) = TcpHeader::parse(&bytes).unwrap();
    assert_eq!((tcp.source_port, tcp.destination_port), (7878, 40000));
    assert_eq!((tcp.sequence, tcp.acknowledgment), (1000, 2001));
    assert_eq!(tcp.flags, SYN | ACK);
    assert_eq!(tcp.flag_names(), "SYN+ACK");
    assert_eq!((tcp.header_len, tcp.window), (20, 0xffff));
    assert_eq!(data, b"ab");
}

#[test]
fn headers_prints_the_labelled_packet() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_headers")));
    out.assert_success();
    check_output!("../output/headers.txt", &out.stdout_text());
}

#[test]
fn headers_labels_a_captured_packet_given_as_hex() {
    let hex: Vec<&str> = CAPTURED.split_whitespace().collect();
    let out = run(Command::new(env!("CARGO_BIN_EXE_headers")).args(&hex));
    out.assert_success();
    check_output!("../output/headers-captured.txt", &out.stdout_text());
}

#[test]
fn headers_flags_the_checksum_a_capture_caught_before_the_card_filled_it() {
    let hex: Vec<&str> = CAPTURED_OFFLOADED.split_whitespace().collect();
    let out = run(Command::new(env!("CARGO_BIN_EXE_headers")).args(&hex));
    out.assert_success();
    let text = out.stdout_text();
    assert!(
        text.contains("checksum 0xfe20 (WRONG, should be 0x7c77)"),
        "{text}"
    );
    check_output!("../output/headers-offloaded.txt", &text);
}

#[test]
fn headers_reports_bad_input_like_a_tool() {
    let out =
        run(Command::new(env!("CARGO_BIN_EXE_headers")).args(["45", "0"]));
    assert_eq!(out.code(), Some(1));
    assert_eq!(out.stderr_text(), "headers: odd number of hex digits (3)\n");
    let out =
        run(Command::new(env!("CARGO_BIN_EXE_headers"))
            .args(["45", "00", "00"]));
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        "headers: IPv4 header truncated: need 20 bytes, have 3\n"
    );
}

/// The kernel itself as the judge: hand the packet we built to the IP
/// layer through a raw socket; the UDP socket it is addressed to receives
/// it. The same packet with a flipped checksum bit is dropped (and counted
/// in /proc/net/snmp as a UDP InCsumErrors).
#[test]
fn kernel_delivers_the_built_datagram_and_drops_a_corrupted_one() {
    let raw = socket2::Socket::new(
        socket2::Domain::IPV4,
        socket2::Type::RAW,
        Some(socket2::Protocol::from(libc::IPPROTO_RAW)),
    );
    let raw = match raw {
        Ok(raw) => raw,
        Err(err) => {
            assert_eq!(
                err.kind(),
                std::io::ErrorKind::PermissionDenied,
                "{err}"
            );
            eprintln!("note: no CAP_NET_RAW ({err}); kernel check skipped");
            return;
        }
    };
    let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
    receiver
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let std::net::SocketAddr::V4(to) = receiver.local_addr().unwrap() else {
        unreachable!()
    };
    let from = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 9);
    let mut corrupted = build_udp_packet(from, to, 1, b"corrupted").unwrap();
    corrupted[26] ^= 0x01; // a bit of the UDP checksum
    let good = build_udp_packet(from, to, 2, b"good").unwrap();
    let dest = socket2::SockAddr::from(std::net::SocketAddr::V4(to));
    raw.send_to(&corrupted, &dest).unwrap();
    raw.send_to(&good, &dest).unwrap();
    // Loopback keeps order: if the corrupted one had been delivered, it
    // would come first.
    let mut buffer = [0u8; 64];
    let (len, sender) = receiver.recv_from(&mut buffer).unwrap();
    assert_eq!(&buffer[..len], b"good");
    assert_eq!(sender, std::net::SocketAddr::V4(from));
}
