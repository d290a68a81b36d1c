//! The "From Python" notes of the chapter, checked against a real Python
//! where one is installed.

mod common;

use std::net::{IpAddr, Ipv4Addr, ToSocketAddrs};
use std::process::Command;

use harness::run;

/// Runs a Python program and returns its standard output, or `None`
/// (after saying so) when this machine has no python3.
fn python(program: &str) -> Option<String> {
    if !common::have("python3") {
        eprintln!("note: no python3 here; Python comparison skipped");
        return None;
    }
    let out = run(Command::new("python3").args(["-c", program]));
    out.assert_success();
    Some(out.stdout_text())
}

#[test]
fn gethostname_and_gethostbyname_agree_with_rust() {
    let Some(text) = python(
        "import socket\n\
         print(socket.gethostname())\n\
         print(socket.gethostbyname('localhost'))",
    ) else {
        return;
    };
    let lines: Vec<&str> = text.lines().collect();
    let hostname = nix::unistd::gethostname().unwrap();
    assert_eq!(lines[0], hostname.to_str().unwrap());
    // gethostbyname answers with one IPv4 address; the Rust way is the
    // first IPv4 address among what to_socket_addrs returns.
    let first_v4 = ("localhost", 0)
        .to_socket_addrs()
        .unwrap()
        .map(|addr| addr.ip())
        .find(IpAddr::is_ipv4)
        .unwrap();
    assert_eq!(lines[1], first_v4.to_string());
}

/// Binds the wildcard address, so it runs in a private network namespace,
/// where that exposes nothing. (The namespace has its own ephemeral range,
/// which Python reads there.)
#[test]
fn bind_to_empty_host_and_port_zero_is_the_wildcard_and_an_ephemeral_port() {
    if !common::have("python3") {
        eprintln!("note: no python3 here; Python comparison skipped");
        return;
    }
    let program = "import socket\n\
         s = socket.socket()\n\
         s.bind(('', 0))\n\
         host, port = s.getsockname()\n\
         print(host, port)\n\
         print(open('/proc/sys/net/ipv4/ip_local_port_range').read())";
    let Some(out) = common::in_new_netns("", "python3", &["-c", program])
    else {
        eprintln!("note: Python wildcard bind skipped");
        return;
    };
    out.assert_success();
    let text = out.stdout_text();
    let numbers: Vec<&str> = text.split_whitespace().collect();
    let [host, port, low, high] = numbers[..] else {
        panic!("unexpected output {text:?}");
    };
    assert_eq!(host, "0.0.0.0");
    let port: u16 = port.parse().unwrap();
    let (low, high): (u16, u16) = (low.parse().unwrap(), high.parse().unwrap());
    assert!((low..=high).contains(&port), "{port} outside {low}-{high}");
}

#[test]
fn pythons_is_private_is_wider_than_rusts() {
    let Some(text) = python(
        "import ipaddress\n\
         for a in ['127.0.0.1', '169.254.1.1', '192.0.2.2', '10.1.2.3', '8.8.8.8']:\n\
         \x20   print(a, ipaddress.ip_address(a).is_private)",
    ) else {
        return;
    };
    let python: Vec<(Ipv4Addr, bool)> = text
        .lines()
        .map(|line| {
            let (addr, private) = line.split_once(' ').unwrap();
            (addr.parse().unwrap(), private == "True")
        })
        .collect();
    let rust: Vec<(Ipv4Addr, bool)> = python
        .iter()
        .map(|(addr, _)| (*addr, addr.is_private()))
        .collect();
    let ip = |text: &str| text.parse::<Ipv4Addr>().unwrap();
    assert_eq!(
        python,
        [
            (ip("127.0.0.1"), true),
            (ip("169.254.1.1"), true),
            (ip("192.0.2.2"), true),
            (ip("10.1.2.3"), true),
            (ip("8.8.8.8"), false),
        ]
    );
    assert_eq!(
        rust,
        [
            (ip("127.0.0.1"), false),
            (ip("169.254.1.1"), false),
            (ip("192.0.2.2"), false),
            (ip("10.1.2.3"), true),
            (ip("8.8.8.8"), false),
        ]
    );
}

#[test]
fn inet_aton_accepts_shorthand_and_octal_that_rust_refuses() {
    let Some(text) = python(
        "import socket, ipaddress\n\
         print(socket.inet_aton('127.1').hex())\n\
         print(socket.inet_aton('010.1.2.3').hex())\n\
         try:\n\
         \x20   ipaddress.ip_address('127.1')\n\
         except ValueError:\n\
         \x20   print('ValueError')",
    ) else {
        return;
    };
    // 127.1 is 127.0.0.1; 010 is octal, so 010.1.2.3 is 8.1.2.3.
    assert_eq!(text, "7f000001\n08010203\nValueError\n");
    assert!("127.1".parse::<Ipv4Addr>().is_err());
    assert!("010.1.2.3".parse::<Ipv4Addr>().is_err());
}
