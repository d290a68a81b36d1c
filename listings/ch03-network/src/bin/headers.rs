// ANCHOR: all
//! `headers`: build an IPv4 packet carrying a UDP datagram by hand, show
//! every byte of it labelled, and parse it back. Given a packet as hex
//! (from tcpdump -x or Wireshark), label that one instead.

use std::env;
use std::error::Error;
use std::net::SocketAddrV4;
use std::process::ExitCode;

use ch03_network::packet::{
    annotate, build_udp_packet, parse_hex, parse_udp_packet,
};

fn run() -> Result<(), Box<dyn Error>> {
    let hex: Vec<String> = env::args().skip(1).collect();
    if !hex.is_empty() {
        let packet = parse_hex(&hex.join(" "))?;
        print!("{}", annotate(&packet)?);
        return Ok(());
    }

    // ANCHOR: build
    let source: SocketAddrV4 = "127.0.0.1:40000".parse()?;
    let destination: SocketAddrV4 = "127.0.0.1:7878".parse()?;
    let packet = build_udp_packet(source, destination, 1, b"hello")?;
    println!(
        "{} bytes: 20 IPv4 header + 8 UDP header + 5 data\n",
        packet.len()
    );
    print!("{}", annotate(&packet)?);
    // ANCHOR_END: build

    // ANCHOR: parse
    let parsed = parse_udp_packet(&packet)?;
    println!(
        "\nparsed back: {} -> {}, data \"{}\"",
        parsed.source(),
        parsed.destination(),
        parsed.data.escape_ascii(),
    );
    println!(
        "checksums: IPv4 {}, UDP {}",
        parsed.ip.check_checksum(),
        parsed.check_udp_checksum()
    );
    // ANCHOR_END: parse
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("headers: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: all
