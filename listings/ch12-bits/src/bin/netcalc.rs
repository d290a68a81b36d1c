//! `netcalc`: an IPv4 network calculator. Give it addresses with a prefix
//! length (`192.168.1.77/20`) or interface names (`lo`); with no argument
//! it shows every IPv4 address of this machine, as the kernel reports it.

use std::env;
use std::error::Error;
use std::net::Ipv4Addr;
use std::process::ExitCode;

use nix::ifaddrs::getifaddrs;

// ANCHOR: mask
/// The netmask of a prefix length: `prefix` ones, then zeros.
fn netmask(prefix: u32) -> u32 {
    // u32::MAX << 32 would overflow (a panic in a debug build), so /0 is
    // handled by checked_shl's None: no one bits at all.
    u32::MAX.checked_shl(32 - prefix).unwrap_or(0)
}

/// The prefix length of a netmask, if its ones are contiguous.
fn prefix_of(mask: u32) -> Option<u32> {
    let ones = mask.leading_ones();
    (mask.count_ones() == ones).then_some(ones)
}
// ANCHOR_END: mask

// ANCHOR: network
/// What `ipaddress.ip_network(f"{address}/{prefix}", strict=False)` knows.
struct Network {
    address: u32,
    prefix: u32,
    mask: u32,
    label: Option<String>, // where it came from, if not from the command line
}

impl Network {
    fn new(address: Ipv4Addr, prefix: u32) -> Self {
        let mask = netmask(prefix);
        let address = address.to_bits();
        Network {
            address,
            prefix,
            mask,
            label: None,
        }
    }
    fn labelled(self, label: String) -> Self {
        Network {
            label: Some(label),
            ..self
        }
    }
    fn network(&self) -> u32 {
        self.address & self.mask // clear the host bits
    }
    fn broadcast(&self) -> u32 {
        self.address | !self.mask // set the host bits
    }
    fn size(&self) -> u64 {
        1 << (32 - self.prefix) // a u64: a /0 holds 2^32 addresses
    }
    /// The first and last usable host, and how many there are. A /31 is a
    /// point-to-point link with two hosts (RFC 3021), a /32 one host.
    fn hosts(&self) -> (u32, u32, u64) {
        match self.prefix {
            32 => (self.address, self.address, 1),
            31 => (self.network(), self.broadcast(), 2),
            _ => (self.network() + 1, self.broadcast() - 1, self.size() - 2),
        }
    }
}
// ANCHOR_END: network

/// 11000000.10101000.00000001.01001101
fn dotted_binary(bits: u32) -> String {
    let octets = bits.to_be_bytes().map(|octet| format!("{octet:08b}"));
    octets.join(".")
}

// ANCHOR: print
fn print(net: &Network) {
    let ip = Ipv4Addr::from_bits;
    if let Some(label) = &net.label {
        println!("{label}");
    }
    let row = |name: &str, bits: u32, how: &str| {
        let dotted = ip(bits).to_string();
        let line = format!("{name:<9} {dotted:<15} {}  {how}", dotted_binary(bits));
        println!("{}", line.trim_end());
    };
    row("address", net.address, "");
    row("netmask", net.mask, "");
    row("hostmask", !net.mask, "!mask");
    row("network", net.network(), "addr & mask");
    row("broadcast", net.broadcast(), "addr | !mask");
    let (first, last, count) = net.hosts();
    let network = ip(net.network());
    println!(
        "{:<9} {network}/{}: {} addresses",
        "size",
        net.prefix,
        net.size()
    );
    let hosts = if count == 1 { "host" } else { "hosts" };
    println!(
        "{:<9} {} to {}, {count} {hosts}",
        "hosts",
        ip(first),
        ip(last)
    );
}
// ANCHOR_END: print

/// `a.b.c.d/n`, as `ipaddress.ip_network(text, strict=False)` reads it.
fn parse_cidr(text: &str) -> Result<Network, String> {
    let (address, prefix) = text.split_once('/').ok_or("expected ADDRESS/PREFIX")?;
    let address: Ipv4Addr = address.parse().map_err(|_| "not an IPv4 address")?;
    let prefix: u32 = match prefix.parse() {
        Ok(prefix @ 0..=32) => prefix,
        _ => return Err("the prefix length must be a number from 0 to 32".into()),
    };
    Ok(Network::new(address, prefix))
}

// ANCHOR: interfaces
/// The IPv4 addresses of interface `name` (every interface if `None`),
/// with the netmasks the kernel keeps for them.
fn from_interfaces(name: Option<&str>) -> Result<Vec<Network>, Box<dyn Error>> {
    let mut found = Vec::new();
    for entry in getifaddrs()? {
        if name.is_some_and(|name| name != entry.interface_name) {
            continue;
        }
        let address = entry
            .address
            .as_ref()
            .and_then(|a| a.as_sockaddr_in())
            .map(|a| a.ip());
        let mask = entry
            .netmask
            .as_ref()
            .and_then(|m| m.as_sockaddr_in())
            .map(|m| m.ip());
        let (Some(address), Some(mask)) = (address, mask) else {
            continue; // not IPv4
        };
        let name = &entry.interface_name;
        let prefix = prefix_of(mask.to_bits())
            .ok_or_else(|| format!("{name}: netmask {mask} is not contiguous"))?;
        let label = format!("{name}: {address} netmask {mask}");
        found.push(Network::new(address, prefix).labelled(label));
    }
    Ok(found)
}
// ANCHOR_END: interfaces

/// The networks one argument names: a CIDR, or an interface's addresses.
fn networks(arg: &str) -> Result<Vec<Network>, String> {
    if arg.contains('/') {
        return parse_cidr(arg)
            .map(|net| vec![net])
            .map_err(|err| format!("{arg}: {err}"));
    }
    match from_interfaces(Some(arg)) {
        Ok(found) if found.is_empty() => {
            Err(format!("{arg}: no such interface with an IPv4 address"))
        }
        Ok(found) => Ok(found),
        Err(err) => Err(err.to_string()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let results: Vec<Result<Vec<Network>, String>> = if args.is_empty() {
        vec![from_interfaces(None).map_err(|err| err.to_string())]
    } else {
        args.iter().map(|arg| networks(arg)).collect()
    };
    let mut status = ExitCode::SUCCESS;
    let mut first = true;
    for result in results {
        match result {
            Ok(nets) => {
                for net in &nets {
                    if !first {
                        println!();
                    }
                    first = false;
                    print(net);
                }
            }
            Err(err) => {
                eprintln!("netcalc: {err}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
