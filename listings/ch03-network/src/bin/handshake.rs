// ANCHOR: all
//! `handshake`: capture the segments of one TCP connection over loopback
//! and print their flags and sequence numbers: the three-way handshake
//! and the four-way teardown. The capture needs a raw socket, which needs
//! CAP_NET_RAW (root, or root in a user namespace).

use std::env;
use std::error::Error;
use std::io::{self, Read};
use std::net::{SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use ch03_network::packet::{ACK, Ipv4Header, SYN, TcpHeader};
use ch03_network::proc_net::{TcpState, wait_for_state};
use socket2::{Domain, Protocol, Socket, Type};

const DEADLINE: Duration = Duration::from_secs(5);

/// A raw IPv4 socket for TCP: the kernel gives it a copy of every TCP
/// packet this machine receives, IP header included.
fn capture_socket() -> Result<Socket, String> {
    let socket = Socket::new(Domain::IPV4, Type::RAW, Some(Protocol::TCP)).map_err(|err| {
        match err.kind() {
            io::ErrorKind::PermissionDenied => format!(
                "a raw socket needs CAP_NET_RAW: {err}\n\
                 handshake: run it as root, or as root of a new user and network namespace:\n\
                 handshake:     unshare --map-root-user --net sh -c 'ip link set lo up && exec \"$0\"' PROGRAM"
            ),
            _ => format!("raw socket: {err}"),
        }
    })?;
    socket
        .set_read_timeout(Some(DEADLINE))
        .map_err(|err| err.to_string())?;
    Ok(socket)
}

/// Shows `number` relative to an initial sequence number: `x+1`.
fn relative(number: u32, isn: u32, name: &str) -> String {
    match number.wrapping_sub(isn) {
        0 => name.to_owned(),
        offset => format!("{name}+{offset}"),
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let addr = env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7805".to_owned());
    // Open the capture first, so that it sees the very first SYN.
    let capture = capture_socket()?;
    let listener =
        TcpListener::bind(&addr).map_err(|err| format!("{addr}: {err}"))?;
    let SocketAddr::V4(server) = listener.local_addr()? else {
        return Err("IPv4 addresses only".into());
    };
    println!("listening on {server}");

    // ANCHOR: connection
    let client_stream = TcpStream::connect(server)?;
    let (server_stream, _) = listener.accept()?;
    let SocketAddr::V4(client) = client_stream.local_addr()? else {
        unreachable!("an IPv4 listener has IPv4 peers");
    };
    // Close one side at a time, each after the other side has answered,
    // so that every step of the teardown is a segment of its own.
    drop(server_stream);
    wait_for_state(DEADLINE, server, client, TcpState::FinWait2)?;
    drop(client_stream);
    wait_for_state(DEADLINE, server, client, TcpState::TimeWait)?;
    // ANCHOR_END: connection

    // ANCHOR: capture
    let mut segments: Vec<(bool, TcpHeader)> = Vec::new();
    let mut buffer = [0u8; 65536];
    while segments.len() < 7 {
        let len = (&capture).read(&mut buffer).map_err(|err| {
            format!("captured {} of 7 segments: {err}", segments.len())
        })?;
        let Ok((ip, payload)) = Ipv4Header::parse(&buffer[..len]) else {
            continue;
        };
        let Ok((tcp, _data)) = TcpHeader::parse(payload) else {
            continue;
        };
        let from = SocketAddrV4::new(ip.source, tcp.source_port);
        let to = SocketAddrV4::new(ip.destination, tcp.destination_port);
        if (from, to) == (client, server) {
            segments.push((true, tcp));
        } else if (from, to) == (server, client) {
            segments.push((false, tcp));
        } // else: another connection on this machine
    }
    // ANCHOR_END: capture

    // ANCHOR: print
    // x and y: the initial sequence numbers, in the client's SYN and in
    // the server's SYN+ACK. Each side picks its own at random.
    let isn = |from_client: bool| {
        segments
            .iter()
            .find(|(client_sent, tcp)| {
                *client_sent == from_client && tcp.flags & SYN != 0
            })
            .map(|(_, tcp)| tcp.sequence)
            .ok_or("no SYN captured")
    };
    let (x, y) = (isn(true)?, isn(false)?);
    println!("client {client}, initial sequence number x = {x}");
    println!("server {server}, initial sequence number y = {y}");
    for (from_client, tcp) in &segments {
        let (direction, own, other) = match from_client {
            true => ("client -> server", (x, "x"), (y, "y")),
            false => ("server -> client", (y, "y"), (x, "x")),
        };
        let seq = relative(tcp.sequence, own.0, own.1);
        let ack = if tcp.flags & ACK != 0 {
            format!("ack={}", relative(tcp.acknowledgment, other.0, other.1))
        } else {
            String::new()
        };
        let line =
            format!("{direction}  {:<8} seq={seq:<4} {ack}", tcp.flag_names());
        println!("{}", line.trim_end());
    }
    // ANCHOR_END: print
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("handshake: {err}");
            ExitCode::from(2)
        }
    }
}
// ANCHOR_END: all
