//! `udp_server [addr]`: a UDP echo server. Each datagram that arrives is
//! sent back, whole, to the address it came from.

use std::env;
use std::io;
use std::net::UdpSocket;
use std::process::ExitCode;

fn main() -> ExitCode {
    let addr = env::args().nth(1);
    let addr = addr.as_deref().unwrap_or("127.0.0.1:7879");
    match run(addr) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("udp_server: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: run
fn run(addr: &str) -> io::Result<()> {
    // socket(AF_INET, SOCK_DGRAM) + bind(2). No listen, no accept.
    let socket = UdpSocket::bind(addr)?;
    println!("listening on {}", socket.local_addr()?);
    // 65 535 bytes hold any UDP datagram, so nothing is ever cut off.
    let mut buf = vec![0u8; 65535];
    loop {
        // recvfrom(2): one datagram per call, and who sent it.
        let (len, peer) = match socket.recv_from(&mut buf) {
            Ok(received) => received,
            Err(err) => {
                eprintln!("udp_server: recv_from: {err}");
                continue;
            }
        };
        println!("{len} bytes from {peer}");
        // sendto(2): one datagram back to that address.
        if let Err(err) = socket.send_to(&buf[..len], peer) {
            eprintln!("udp_server: send_to {peer}: {err}");
        }
    }
}
// ANCHOR_END: run
