//! Listing 12-9: netmasks, network and broadcast addresses, compared with
//! Python's `ipaddress` and with the kernel's addresses.

use std::process::Command;

use harness::check_output;

use crate::bin;
use crate::common::{Job, listing, python, python_lines, stdout_of};

#[test]
fn netcalc_output_matches_the_book() {
    check_output!(
        "../../output/netcalc.txt",
        &stdout_of(bin!("netcalc"), &["192.168.1.77/20"])
    );
    // Every Linux machine has lo with 127.0.0.1/8.
    check_output!(
        "../../output/netcalc_lo.txt",
        &stdout_of(bin!("netcalc"), &["lo"])
    );
}

/// The facts netcalc prints about one network, in the order Python's
/// script below prints them.
fn facts(block: &str) -> Vec<String> {
    let field = |name: &str| -> Vec<String> {
        let line = block
            .lines()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} line in:\n{block}"));
        line.split_whitespace().skip(1).map(str::to_owned).collect()
    };
    // "size       192.168.0.0/20: 4096 addresses"
    let summary = field("size");
    let hosts = field("hosts");
    vec![
        summary[0].trim_end_matches(':').to_owned(),
        field("netmask")[0].clone(),
        field("hostmask")[0].clone(),
        field("broadcast")[0].clone(),
        summary[1].clone(),
        hosts[0].clone(),
        hosts[2].trim_end_matches(',').to_owned(),
        hosts[3].clone(),
    ]
}

const PY_FACTS: &str = "import ipaddress, sys
for text in sys.argv[1:]:
    n = ipaddress.ip_network(text, strict=False)
    if n.num_addresses <= 4:
        hosts = list(n.hosts())
        first, last, count = hosts[0], hosts[-1], len(hosts)
    else:  # too many to list: hosts() runs from network + 1 to broadcast - 1
        first, last = next(iter(n.hosts())), n.broadcast_address - 1
        count = n.num_addresses - 2
    print(n, n.netmask, n.hostmask, n.broadcast_address, n.num_addresses, first, last, count)";

/// Eleven networks, the edge cases /0, /1, /31 and /32 among them.
const CIDRS: [&str; 11] = [
    "192.168.1.77/20",
    "10.1.2.3/8",
    "172.16.5.4/12",
    "192.0.2.130/25",
    "203.0.113.9/24",
    "198.51.100.7/30",
    "10.0.0.1/31",
    "10.0.0.1/32",
    "0.0.0.0/0",
    "255.255.255.255/1",
    "1.2.3.4/17",
];

const PY_HOSTS: &str = "import ipaddress
print(list(ipaddress.ip_network('10.0.0.0/31').hosts()))
print(list(ipaddress.ip_network('10.0.0.1/32').hosts()))";

pub fn python_jobs() -> Vec<Job> {
    vec![
        Job::code("ip_network", PY_FACTS, &CIDRS),
        Job::code("hosts of /31 and /32", PY_HOSTS, &[]),
    ]
}

#[test]
fn netcalc_agrees_with_pythons_ipaddress() {
    let cidrs = CIDRS;
    let expected = python_lines("ip_network");
    let text = stdout_of(bin!("netcalc"), &cidrs);
    let blocks: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(blocks.len(), cidrs.len());
    for ((cidr, block), want) in cidrs.iter().zip(blocks).zip(expected) {
        assert_eq!(facts(block).join(" "), want, "{cidr}");
    }
}

#[test]
fn python_hosts_for_31_and_32_are_what_netcalc_says() {
    assert_eq!(
        python("hosts of /31 and /32"),
        "[IPv4Address('10.0.0.0'), IPv4Address('10.0.0.1')]\n[IPv4Address('10.0.0.1')]\n"
    );
    let text = stdout_of(bin!("netcalc"), &["10.0.0.0/31", "10.0.0.1/32"]);
    let hosts: Vec<&str> = text.lines().filter(|l| l.starts_with("hosts")).collect();
    assert_eq!(
        hosts,
        [
            "hosts     10.0.0.0 to 10.0.0.1, 2 hosts",
            "hosts     10.0.0.1 to 10.0.0.1, 1 host"
        ]
    );
}

#[test]
fn netcalc_shows_the_kernels_addresses_like_ip_does() {
    let Ok(ip) = harness::try_run(
        Command::new("ip").args(["-o", "-4", "address", "show"]),
        b"",
        harness::DEADLINE,
    ) else {
        eprintln!("note: no `ip` command (install iproute2); comparison skipped");
        return;
    };
    ip.assert_success();
    // "1: lo    inet 127.0.0.1/8 scope host lo ..." → "lo 127.0.0.1/8". A
    // point-to-point address is "inet 10.0.0.1 peer 10.0.0.2/32 ...": its
    // prefix length follows the peer.
    let mut theirs: Vec<String> = ip
        .stdout_text()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            match f[3].split_once('/') {
                Some(_) => format!("{} {}", f[1], f[3]),
                None => {
                    let prefix = f[5].split_once('/').map_or("32", |(_, p)| p);
                    format!("{} {}/{prefix}", f[1], f[3])
                }
            }
        })
        .collect();
    // "lo: 127.0.0.1 netmask 255.0.0.0", then the block with "size a/n:".
    let text = stdout_of(bin!("netcalc"), &[]);
    let mut ours: Vec<String> = text
        .split("\n\n")
        .map(|block| {
            let label: Vec<&str> = block.lines().next().unwrap().split_whitespace().collect();
            let prefix = block
                .lines()
                .find(|l| l.starts_with("size "))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|net| net.split('/').nth(1))
                .unwrap()
                .trim_end_matches(':');
            format!("{} {}/{prefix}", label[0].trim_end_matches(':'), label[1])
        })
        .collect();
    theirs.sort();
    ours.sort();
    assert_eq!(ours, theirs);
}

#[test]
fn netcalc_reports_bad_arguments_and_goes_on() {
    let out = listing(
        bin!("netcalc"),
        &[
            "1.2.3.4/33",
            "10.0.0.1/8",
            "1.2.3/8",
            "nosuchif0",
            "1.2.3.4",
        ],
    );
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        "netcalc: 1.2.3.4/33: the prefix length must be a number from 0 to 32\n\
         netcalc: 1.2.3/8: not an IPv4 address\n\
         netcalc: nosuchif0: no such interface with an IPv4 address\n\
         netcalc: 1.2.3.4: no such interface with an IPv4 address\n"
    );
    assert!(
        out.stdout_text().starts_with("address   10.0.0.1 "),
        "{out}"
    );
}
