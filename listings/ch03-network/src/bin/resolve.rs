// ANCHOR: all
//! `resolve`: this machine's host name, then for each name given (default:
//! localhost) what /etc/hosts says and what the resolver returns.

use std::env;
use std::error::Error;
use std::fs;
use std::net::{IpAddr, ToSocketAddrs};
use std::process::ExitCode;

use nix::unistd::gethostname;

// ANCHOR: hosts
/// The addresses /etc/hosts gives `name`. Each line is an address, then
/// the names it has; `#` starts a comment.
fn hosts_file_entries(name: &str) -> Result<Vec<IpAddr>, Box<dyn Error>> {
    let text = fs::read_to_string("/etc/hosts")?;
    let mut found = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let mut fields = line.split_whitespace();
        let Some(address) = fields.next() else {
            continue;
        };
        if fields.any(|alias| alias.eq_ignore_ascii_case(name)) {
            found.push(address.parse()?);
        }
    }
    Ok(found)
}
// ANCHOR_END: hosts

fn run() -> Result<(), Box<dyn Error>> {
    // ANCHOR: hostname
    // gethostname(2): the kernel's name for this machine (uname -n).
    let hostname = gethostname()?;
    println!("host name: {}", hostname.to_string_lossy());
    // ANCHOR_END: hostname

    let mut names: Vec<String> = env::args().skip(1).collect();
    if names.is_empty() {
        names.push("localhost".to_owned());
    }
    for name in &names {
        for address in hosts_file_entries(name)? {
            println!("/etc/hosts: {name} is {address}");
        }
        // ANCHOR: resolve
        // ToSocketAddrs calls getaddrinfo(3), which follows /etc/nsswitch.conf:
        // usually /etc/hosts first, then DNS. It needs a port: we give 80.
        match (name.as_str(), 80).to_socket_addrs() {
            Ok(addrs) => {
                for addr in addrs {
                    println!("to_socket_addrs: ({name:?}, 80) -> {addr}");
                }
            }
            Err(err) => {
                println!("to_socket_addrs: ({name:?}, 80) -> error: {err}")
            }
        }
        // ANCHOR_END: resolve
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("resolve: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: all
