// ANCHOR: all
//! `interfaces`: this machine's network interfaces and their IP addresses,
//! what `ip address` (or the older `ifconfig`) shows. Give an interface
//! name to see only that one.

use std::env;
use std::error::Error;
use std::net::IpAddr;

use nix::ifaddrs::getifaddrs;
use nix::sys::socket::SockaddrStorage;

/// The IP address in a socket address, if it is IPv4 or IPv6.
fn ip_of(addr: &SockaddrStorage) -> Option<IpAddr> {
    if let Some(v4) = addr.as_sockaddr_in() {
        return Some(IpAddr::V4(v4.ip()));
    }
    addr.as_sockaddr_in6().map(|v6| IpAddr::V6(v6.ip()))
}

/// A netmask such as 255.255.255.0 as a prefix length such as 24.
fn prefix_len(mask: IpAddr) -> u32 {
    match mask {
        IpAddr::V4(mask) => mask.to_bits().count_ones(),
        IpAddr::V6(mask) => mask.to_bits().count_ones(),
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let only = env::args().nth(1);
    // getifaddrs(3) lists one entry per address (and one per link-layer
    // address, which we skip: we want IP addresses here).
    for entry in getifaddrs()? {
        if let Some(name) = &only
            && *name != entry.interface_name
        {
            continue;
        }
        let Some(ip) = entry.address.as_ref().and_then(ip_of) else {
            continue;
        };
        let prefix = entry.netmask.as_ref().and_then(ip_of).map(prefix_len);
        let family = if ip.is_ipv4() { "IPv4" } else { "IPv6" };
        match prefix {
            Some(prefix) => {
                println!("{:<8} {family} {ip}/{prefix}", entry.interface_name)
            }
            None => println!("{:<8} {family} {ip}", entry.interface_name),
        }
    }
    Ok(())
}
// ANCHOR_END: all
