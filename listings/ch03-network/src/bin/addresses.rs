// ANCHOR: all
//! `addresses`: parse IP addresses and socket addresses the way
//! `std::net` does, and say what kind of address each one is.

use std::env;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

const EXAMPLES: &[&str] = &[
    "127.0.0.1",
    "0.0.0.0",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.10",
    "169.254.10.20",
    "192.0.2.2",
    "8.8.8.8",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd00::2",
    "2001:0db8:0000::1",
    "::ffff:127.0.0.1",
    "127.0.0.1:8080",
    "[::1]:8080",
    "::1:8080",
    "256.1.1.1",
    "127.1",
    "010.1.2.3",
    "127.0.0.1:65536",
    "localhost",
];

// ANCHOR: classify
fn kinds_v4(ip: Ipv4Addr) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    if ip.is_unspecified() {
        kinds.push("unspecified (any address)"); // 0.0.0.0
    }
    if ip.is_loopback() {
        kinds.push("loopback"); // 127.0.0.0/8
    }
    if ip.is_private() {
        kinds.push("private"); // 10/8, 172.16/12, 192.168/16 (RFC 1918)
    }
    if ip.is_link_local() {
        kinds.push("link-local"); // 169.254/16
    }
    if ip.is_documentation() {
        kinds.push("documentation"); // 192.0.2/24, 198.51.100/24, 203.0.113/24
    }
    if ip.is_multicast() {
        kinds.push("multicast"); // 224/4
    }
    if ip.is_broadcast() {
        kinds.push("broadcast"); // 255.255.255.255
    }
    kinds
}

fn kinds_v6(ip: Ipv6Addr) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    if ip.is_unspecified() {
        kinds.push("unspecified (any address)"); // ::
    }
    if ip.is_loopback() {
        kinds.push("loopback"); // ::1, the only one
    }
    if ip.is_unique_local() {
        kinds.push("unique local (IPv6's private)"); // fc00::/7
    }
    if ip.is_unicast_link_local() {
        kinds.push("link-local"); // fe80::/10
    }
    // Ipv6Addr::is_documentation is not stable yet: test the prefix.
    if ip.segments()[..2] == [0x2001, 0x0db8] {
        kinds.push("documentation"); // 2001:db8::/32
    }
    if ip.is_multicast() {
        kinds.push("multicast"); // ff00::/8
    }
    if let Some(v4) = ip.to_ipv4_mapped() {
        kinds.push("IPv4-mapped"); // ::ffff:a.b.c.d
        kinds.extend(kinds_v4(v4));
    }
    kinds
}

fn describe(input: &str) -> (String, String) {
    let show = |kinds: Vec<&str>| {
        if kinds.is_empty() {
            "none of the above".to_owned()
        } else {
            kinds.join(", ")
        }
    };
    // An address alone, v4 or v6...
    let ip_error = match input.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => return (v4.to_string(), show(kinds_v4(v4))),
        Ok(IpAddr::V6(v6)) => return (v6.to_string(), show(kinds_v6(v6))),
        Err(err) => err,
    };
    // ...or an address with a port. IPv6 needs brackets: [::1]:8080.
    match input.parse::<SocketAddr>() {
        Ok(addr) => (
            addr.to_string(),
            format!("socket address: IP {}, port {}", addr.ip(), addr.port()),
        ),
        Err(err) if input.contains(':') => {
            ("error".to_owned(), err.to_string())
        }
        Err(_) => ("error".to_owned(), ip_error.to_string()),
    }
}
// ANCHOR_END: classify

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let inputs: Vec<&str> = if args.is_empty() {
        EXAMPLES.to_vec()
    } else {
        args.iter().map(String::as_str).collect()
    };
    println!("{:<19} {:<18} what it is", "input", "parsed");
    for input in inputs {
        let (parsed, kinds) = describe(input);
        println!("{input:<19} {parsed:<18} {kinds}");
    }
}
// ANCHOR_END: all
