// ANCHOR: all
//! `ports`: the ranges port numbers fall into, and the port the kernel
//! picks when you ask for port 0 or connect without binding.

use std::env;
use std::error::Error;
use std::fs;
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::process::ExitCode;

const EPHEMERAL: &str = "/proc/sys/net/ipv4/ip_local_port_range";
const UNPRIVILEGED: &str = "/proc/sys/net/ipv4/ip_unprivileged_port_start";

// ANCHOR: range
/// The range the kernel picks ephemeral ports from, such as 32768-60999.
fn ephemeral_range() -> Result<(u16, u16), Box<dyn Error>> {
    let text = fs::read_to_string(EPHEMERAL)?;
    let mut numbers = text.split_whitespace().map(str::parse::<u16>);
    match (numbers.next(), numbers.next()) {
        (Some(Ok(low)), Some(Ok(high))) => Ok((low, high)),
        _ => Err(format!("{EPHEMERAL}: unexpected contents {text:?}").into()),
    }
}
// ANCHOR_END: range

fn run() -> Result<(), Box<dyn Error>> {
    let port: u16 = match env::args().nth(1) {
        Some(port) => port.parse().map_err(|err| format!("{port}: {err}"))?,
        None => 0,
    };
    println!("a port is 16 bits: 0 to {}", u16::MAX);
    println!("  0-1023       well-known (system) ports");
    println!("  1024-49151   registered (user) ports");
    println!("  49152-65535  dynamic (private) ports");
    let (low, high) = ephemeral_range()?;
    println!("ephemeral ports here: {low}-{high}\n  from {EPHEMERAL}");
    let unprivileged = fs::read_to_string(UNPRIVILEGED)?;
    let unprivileged = unprivileged.trim();
    println!(
        "binding below {unprivileged} needs CAP_NET_BIND_SERVICE\n  \
         from {UNPRIVILEGED}"
    );
    let ephemeral = |port: u16| {
        if (low..=high).contains(&port) {
            "ephemeral"
        } else {
            "not ephemeral"
        }
    };

    // ANCHOR: bind
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|err| format!("TCP bind to 127.0.0.1:{port}: {err}"))?;
    let tcp_port = listener.local_addr()?.port();
    println!(
        "TCP bind to 127.0.0.1:{port} got port {tcp_port} ({})",
        ephemeral(tcp_port)
    );

    let udp = UdpSocket::bind(("127.0.0.1", 0))?;
    let udp_port = udp.local_addr()?.port();
    println!(
        "UDP bind to 127.0.0.1:0 got port {udp_port} ({})",
        ephemeral(udp_port)
    );

    // A client that connects without binding gets a port the same way.
    let client = TcpStream::connect(listener.local_addr()?)?;
    let client_port = client.local_addr()?.port();
    println!(
        "a connecting client got port {client_port} ({})",
        ephemeral(client_port)
    );
    // ANCHOR_END: bind
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ports: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: all
