//! Exercise 12.3, a solution: splitting a network into subnets, like
//! Python's `ipaddress.ip_network(text).subnets(new_prefix=n)`.

use std::env;
use std::io::{self, BufWriter, ErrorKind, Write};
use std::net::Ipv4Addr;
use std::process::ExitCode;

/// The netmask of a prefix length from 0 to 32.
fn netmask(prefix: u32) -> u32 {
    u32::MAX.checked_shl(32 - prefix).unwrap_or(0)
}

/// `a.b.c.d/n` or `a.b.c.d`, strictly: no host bits may be set.
fn parse_network(text: &str) -> Result<(u32, u32), String> {
    let (address, prefix) = text.split_once('/').unwrap_or((text, "32"));
    let address: Ipv4Addr = address
        .parse()
        .map_err(|_| format!("{text:?} is not an IPv4 network"))?;
    // Digits only, as Python wants: "+22" and " 22" are refused.
    let digits =
        !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit());
    let prefix = match prefix.parse::<u32>() {
        Ok(prefix) if digits && prefix <= 32 => prefix,
        _ => return Err(format!("{text:?} has a bad prefix length")),
    };
    let address = address.to_bits();
    if address & !netmask(prefix) != 0 {
        return Err(format!("{text} has host bits set"));
    }
    Ok((address, prefix))
}

fn run(args: &[String]) -> Result<(), String> {
    let (network, prefix) = parse_network(&args[0])?;
    let new_prefix = match args.get(1) {
        Some(text) => text
            .parse::<u32>()
            .map_err(|_| format!("{text:?} is not a prefix length"))?,
        None => (prefix + 1).min(32),
    };
    if new_prefix < prefix {
        return Err("new prefix must be longer".into());
    }
    if new_prefix > 32 {
        return Err(format!("new prefix {new_prefix} is longer than 32"));
    }
    // 2^(new - old) subnets, each 2^(32 - new) addresses apart: u64, since
    // a /0 split into /32s makes 2^32 of them.
    let count = 1u64 << (new_prefix - prefix);
    let step = 1u64 << (32 - new_prefix);
    let mut out = BufWriter::new(io::stdout().lock());
    for i in 0..count {
        let start = (u64::from(network) + i * step) as u32;
        let line = writeln!(out, "{}/{new_prefix}", Ipv4Addr::from_bits(start));
        match line {
            Ok(()) => {}
            // `subnets 0.0.0.0/0 32 | head`: stop quietly.
            Err(err) if err.kind() == ErrorKind::BrokenPipe => return Ok(()),
            Err(err) => return Err(err.to_string()),
        }
    }
    match out.flush() {
        Err(err) if err.kind() != ErrorKind::BrokenPipe => Err(err.to_string()),
        _ => Ok(()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    if args.is_empty() || args.len() > 2 {
        eprintln!("usage: subnets NETWORK [NEW_PREFIX]");
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("subnets: {err}");
            ExitCode::FAILURE
        }
    }
}
