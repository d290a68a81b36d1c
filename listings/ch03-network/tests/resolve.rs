use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::process::Command;

use harness::{Normalizer, check_output, run};

/// What /etc/hosts lists for `name`, read independently of the listing.
fn etc_hosts(name: &str) -> BTreeSet<IpAddr> {
    std::fs::read_to_string("/etc/hosts")
        .unwrap()
        .lines()
        .map(|line| line.split('#').next().unwrap())
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let address = fields.next()?;
            fields
                .any(|alias| alias == name)
                .then(|| address.parse().unwrap())
        })
        .collect()
}

#[test]
fn resolve_shows_the_host_name_and_localhost() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_resolve")));
    out.assert_success();
    let text = out.stdout_text();
    let hostname = nix::unistd::gethostname().unwrap();
    let hostname = hostname.to_str().unwrap();
    assert!(
        text.starts_with(&format!("host name: {hostname}\n")),
        "{text}"
    );
    // Machines differ in two ways the book cannot show at once: the host
    // name, and whether localhost is also ::1. The book shows a machine
    // where it is 127.0.0.1 only; the ::1 lines are checked below instead.
    let shown = Normalizer::new()
        .replace(
            &format!("(?m)^host name: {}$", regex_escape(hostname)),
            "host name: myhost",
        )
        .replace(r"(?m)^.*::1.*\n", "")
        .apply(&text);
    check_output!("../output/resolve.txt", &shown);
    for ip in etc_hosts("localhost") {
        assert!(
            text.contains(&format!("/etc/hosts: localhost is {ip}\n")),
            "{text}"
        );
    }
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

#[test]
fn localhost_resolves_to_what_etc_hosts_says() {
    let listed = etc_hosts("localhost");
    let resolved: BTreeSet<IpAddr> = ("localhost", 80)
        .to_socket_addrs()
        .unwrap()
        .map(|addr| addr.ip())
        .collect();
    assert!(resolved.contains(&IpAddr::from([127, 0, 0, 1])));
    // nss-myhostname may answer too, with the same loopback addresses.
    assert!(resolved.iter().all(|ip| ip.is_loopback()), "{resolved:?}");
    if !listed.is_empty() {
        assert!(
            resolved.is_subset(&listed),
            "{resolved:?} vs /etc/hosts {listed:?}"
        );
    }
}

#[test]
fn a_name_needs_a_port_to_become_socket_addresses() {
    let err = "localhost".to_socket_addrs().unwrap_err();
    assert_eq!(err.to_string(), "invalid socket address");
    let addrs: Vec<_> = "localhost:80".to_socket_addrs().unwrap().collect();
    assert!(
        addrs.contains(&SocketAddr::from(([127, 0, 0, 1], 80))),
        "{addrs:?}"
    );
}
