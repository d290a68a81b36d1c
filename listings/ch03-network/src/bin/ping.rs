// ANCHOR: all
//! `ping [-W SECONDS] [HOST] [COUNT]`: send ICMP echo requests and time
//! the replies, with an ICMP datagram socket: no root needed, if
//! net.ipv4.ping_group_range lets your group open one. `-W`, as in
//! ping(8), is how long to wait for each reply (2 seconds by default).

use std::env;
use std::fs;
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ch03_network::icmp::{
    ECHO_REPLY, PING_GROUP_RANGE, echo_request, explain_socket_error,
    parse_echo, parse_group_range,
};
use nix::unistd::{getegid, getgroups};
use socket2::{Domain, Protocol, Socket, Type};

const DATA: &[u8] = b"hello from Rust!";
/// How long to wait for each reply, unless `-W` says otherwise.
const TIMEOUT: Duration = Duration::from_secs(2);

// ANCHOR: socket
/// socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), or what to tell the user.
fn icmp_socket() -> Result<UdpSocket, String> {
    match Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::ICMPV4)) {
        // A datagram socket is a datagram socket: std's UdpSocket methods
        // are plain sendto(2) and recvfrom(2), which is all we need.
        Ok(socket) => Ok(socket.into()),
        Err(err) => {
            let range = fs::read_to_string(PING_GROUP_RANGE).ok();
            let range = range.as_deref().and_then(parse_group_range);
            let mut groups = vec![getegid().as_raw()];
            groups.extend(
                getgroups().unwrap_or_default().iter().map(|g| g.as_raw()),
            );
            groups.dedup();
            Err(explain_socket_error(&err, range, &groups))
        }
    }
}
// ANCHOR_END: socket

// ANCHOR: ping
/// Sends one echo request and waits for its reply; returns the round-trip
/// time, or `None` if no reply came within `timeout`, the socket's read
/// timeout.
fn ping_once(
    socket: &UdpSocket,
    to: IpAddr,
    sequence: u16,
    timeout: Duration,
) -> io::Result<Option<Duration>> {
    // The kernel replaces the identifier with the socket's own (its
    // "port") and recomputes the checksum; the rest goes out as we wrote it.
    let request = echo_request(0, sequence, DATA);
    let sent = Instant::now();
    socket.send_to(&request, SocketAddr::new(to, 0))?;
    let mut buffer = [0u8; 1500];
    loop {
        let (len, from) = match socket.recv_from(&mut buffer) {
            Ok(received) => received,
            // The read timeout: Linux reports it as EAGAIN (WouldBlock).
            Err(err) if is_timeout(&err) => return Ok(None),
            Err(err) => return Err(err),
        };
        let rtt = sent.elapsed();
        // The kernel hands this socket only the replies whose identifier
        // is its own; a late reply to an earlier request can still arrive.
        let ours = parse_echo(&buffer[..len]).ok().filter(|echo| {
            echo.kind == ECHO_REPLY && echo.sequence == sequence
        });
        let Some(echo) = ours else {
            if rtt < timeout {
                continue; // not ours: keep waiting, until the timeout
            }
            return Ok(None);
        };
        if echo.data != DATA {
            return Err(io::Error::other("the reply's data differs from ours"));
        }
        let ms = rtt.as_secs_f64() * 1000.0;
        let from = from.ip();
        println!(
            "{len} bytes from {from}: icmp_seq={sequence} time={ms:.3} ms"
        );
        return Ok(Some(rtt));
    }
}

fn is_timeout(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}
// ANCHOR_END: ping

fn run() -> Result<ExitCode, String> {
    let mut args = env::args().skip(1).peekable();
    let mut timeout = TIMEOUT;
    if args.next_if(|arg| arg == "-W").is_some() {
        let secs = args.next().unwrap_or_default();
        timeout = secs
            .parse()
            .ok()
            .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
            .filter(|timeout| !timeout.is_zero())
            .ok_or_else(|| {
                format!("ping: -W {secs}: not a positive number of seconds\n")
            })?;
    }
    let host = args.next().unwrap_or_else(|| "127.0.0.1".to_owned());
    let count: u16 = match args.next() {
        Some(count) => count
            .parse()
            .map_err(|err| format!("ping: {count}: {err}\n"))?,
        None => 3,
    };
    let failed = |err: io::Error| format!("ping: {host}: {err}\n");
    let to = (host.as_str(), 0)
        .to_socket_addrs()
        .map_err(failed)?
        .map(|addr| addr.ip())
        .find(IpAddr::is_ipv4)
        .ok_or_else(|| format!("ping: {host}: no IPv4 address\n"))?;

    let socket = icmp_socket()?;
    socket.set_read_timeout(Some(timeout)).map_err(failed)?;
    println!("PING {host} ({to}): {} data bytes", DATA.len());
    let mut times = Vec::new();
    for sequence in 1..=count {
        match ping_once(&socket, to, sequence, timeout).map_err(failed)? {
            Some(rtt) => times.push(rtt),
            None => {
                println!("no reply to icmp_seq={sequence} within {timeout:?}")
            }
        }
    }
    let lost =
        100 * (usize::from(count) - times.len()) / usize::from(count.max(1));
    println!("--- {host} ping statistics ---");
    println!("{count} sent, {} received, {lost}% lost", times.len());
    if let (Some(min), Some(max)) = (times.iter().min(), times.iter().max()) {
        let avg = times.iter().sum::<Duration>() / times.len() as u32;
        let ms = |time: &Duration| time.as_secs_f64() * 1000.0;
        println!(
            "rtt min/avg/max = {:.3}/{:.3}/{:.3} ms",
            ms(min),
            ms(&avg),
            ms(max)
        );
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(1)) // like ping(8): 1 when no reply came
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprint!("{message}");
            ExitCode::from(2) // like ping(8): 2 for other errors
        }
    }
}
// ANCHOR_END: all
