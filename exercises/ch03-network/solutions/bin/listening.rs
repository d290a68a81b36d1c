//! Exercise 3.1, a solution: every listening TCP socket, from the kernel's
//! tables, as `ss -Hltn` shows them.

use std::collections::HashSet;
use std::fs;
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;

/// The `st` column's code for LISTEN (the kernel's tcp_states.h).
const LISTEN: u8 = 0x0A;

fn main() -> ExitCode {
    match listening() {
        Ok(addrs) => {
            for addr in addrs {
                println!("{addr}");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("listening: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The local addresses of every listening socket, IPv4 and IPv6, sorted.
fn listening() -> Result<Vec<SocketAddr>, String> {
    let mut found = Vec::new();
    for path in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            // A kernel built without IPv6 has no tcp6 table.
            Err(err)
                if err.kind() == ErrorKind::NotFound && path.ends_with('6') =>
            {
                continue;
            }
            Err(err) => return Err(format!("{path}: {err}")),
        };
        // The kernel writes the table a page at a time, walking its hash
        // chains afresh for each read: a socket that opens or closes
        // between two reads can make a later line come out twice. Each
        // socket has its own inode, so a repeated inode is such a line.
        let mut seen = HashSet::new();
        // The first line is the heading.
        for line in text.lines().skip(1) {
            let bad = || format!("{path}: unexpected line {line:?}");
            let fields: Vec<&str> = line.split_whitespace().collect();
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
            let [_, local, _, state, _, _, _, _, _, inode, ..] = fields[..]
            else {
                return Err(bad());
            };
            let state = u8::from_str_radix(state, 16).map_err(|_| bad())?;
            if state == LISTEN && seen.insert(inode) {
                found.push(parse_address(local).ok_or_else(bad)?);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Decodes `0100007F:1F90` (IPv4) or 32 hex digits and a port (IPv6).
fn parse_address(field: &str) -> Option<SocketAddr> {
    let (hex, port) = field.split_once(':')?;
    let hex_digits = hex.bytes().all(|byte| byte.is_ascii_hexdigit());
    if !matches!(hex.len(), 8 | 32) || !hex_digits {
        return None;
    }
    // Each group of 8 hex digits is one 32-bit word that the kernel
    // printed in the CPU's byte order: `to_ne_bytes` gives back the bytes
    // it had, which are the address in network order.
    let mut bytes = Vec::with_capacity(16);
    for word in hex.as_bytes().chunks(8) {
        let word = std::str::from_utf8(word).ok()?;
        bytes.extend(u32::from_str_radix(word, 16).ok()?.to_ne_bytes());
    }
    let ip = match <[u8; 4]>::try_from(bytes.as_slice()) {
        Ok(v4) => IpAddr::V4(Ipv4Addr::from(v4)),
        Err(_) => IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(bytes).ok()?)),
    };
    Some(SocketAddr::new(ip, u16::from_str_radix(port, 16).ok()?))
}
