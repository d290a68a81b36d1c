mod common;

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

/// The listing's output on this machine: the real host name, and every
/// address /etc/hosts gives localhost.
#[test]
fn resolve_shows_the_host_name_and_what_etc_hosts_says() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_resolve")));
    out.assert_success();
    let text = out.stdout_text();
    let hostname = nix::unistd::gethostname().unwrap();
    let hostname = hostname.to_str().unwrap();
    assert!(
        text.starts_with(&format!("host name: {hostname}\n")),
        "{text}"
    );
    for ip in etc_hosts("localhost") {
        assert!(
            text.contains(&format!("/etc/hosts: localhost is {ip}\n")),
            "{text}"
        );
    }
    assert!(
        text.contains("to_socket_addrs: (\"localhost\", 80) -> 127.0.0.1:80\n"),
        "{text}"
    );
}

/// The book's output, from a machine called `myhost` whose /etc/hosts has
/// the one line `127.0.0.1 localhost`: private UTS and mount namespaces
/// give the listing that host name and that file, whatever this machine's
/// are, and a private network namespace keeps any DNS query from leaving.
#[test]
fn resolve_on_a_machine_called_myhost() {
    let dir = tempfile::tempdir().unwrap();
    let hosts = dir.path().join("hosts");
    std::fs::write(&hosts, "127.0.0.1\tlocalhost\n").unwrap();
    let script =
        "hostname myhost && mount --bind \"$HOSTS\" /etc/hosts && exec \"$0\"";
    let bin = env!("CARGO_BIN_EXE_resolve");
    let hosts = hosts.to_str().unwrap();
    let Some(out) =
        common::sh_in_new_namespaces(script, bin, &[], &[("HOSTS", hosts)])
    else {
        eprintln!("note: output file not compared");
        return;
    };
    out.assert_success();
    // nss-myhostname or systemd-resolved, where nsswitch.conf asks them
    // before the file, also answer ::1: the book shows the file's answer.
    let shown = Normalizer::new()
        .replace(r"(?m)^to_socket_addrs: .*\[::1\].*\n", "")
        .apply(&out.stdout_text());
    check_output!("../output/resolve.txt", &shown);
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
