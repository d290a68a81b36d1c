mod common;

use std::collections::BTreeSet;
use std::process::Command;

use harness::{check_output, run};

#[test]
fn addresses_classifies_the_examples() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_addresses")));
    out.assert_success();
    let text = out.stdout_text();
    check_output!("../output/addresses.txt", &text);
    // The lines the chapter discusses, checked one by one as well.
    let line = |input: &str| {
        text.lines()
            .find(|line| line.split_whitespace().next() == Some(input))
            .unwrap_or_else(|| panic!("no line for {input}"))
            .to_owned()
    };
    assert!(line("127.0.0.1").ends_with(" loopback"));
    assert!(line("10.1.2.3").ends_with(" private"));
    assert!(line("2001:0db8:0000::1").contains(" 2001:db8::1 "));
    assert!(line("::1:8080").ends_with(" none of the above"));
    assert!(line("[::1]:8080").ends_with("IP ::1, port 8080"));
    assert!(line("127.1").ends_with("invalid IP address syntax"));
    assert!(line("127.0.0.1:65536").ends_with("invalid socket address syntax"));
}

#[test]
fn addresses_takes_addresses_as_arguments() {
    let out = run(Command::new(env!("CARGO_BIN_EXE_addresses"))
        .args(["172.31.255.255", "172.32.0.0"]));
    out.assert_success();
    let lines: Vec<String> = out
        .stdout_text()
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect();
    assert!(lines[0].ends_with(" private"), "{lines:?}");
    assert!(lines[1].ends_with(" none of the above"), "{lines:?}");
}

/// The book's output comes from a private network namespace, whose `lo`
/// has exactly the kernel's defaults: this machine's `lo` may carry more.
#[test]
fn interfaces_shows_the_loopback_addresses() {
    let bin = env!("CARGO_BIN_EXE_interfaces");
    let out = common::in_new_netns("", bin, &["lo"]).unwrap_or_else(|| {
        eprintln!("note: listing this machine's lo instead");
        run(Command::new(bin).arg("lo"))
    });
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.starts_with("lo       IPv4 127.0.0.1/8\n"), "{text}");
    // A machine with IPv6 disabled has no ::1: the book shows both.
    if !text.contains("::1/128") {
        eprintln!("note: no IPv6 on lo here; output file not compared");
        return;
    }
    check_output!("../output/interfaces-lo.txt", &text);
}

#[test]
fn interfaces_agrees_with_ip_address() {
    if !common::have("ip") {
        eprintln!("note: no `ip` command; comparison skipped");
        return;
    }
    let ours = run(&mut Command::new(env!("CARGO_BIN_EXE_interfaces")));
    ours.assert_success();
    let theirs = run(Command::new("ip").args(["-o", "address", "show"]));
    theirs.assert_success();
    // `ip -o` lines: "1: lo    inet 127.0.0.1/8 scope host lo ..."
    let expected: BTreeSet<(String, String)> = theirs
        .stdout_text()
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let family = match *fields.get(2)? {
                "inet" => "IPv4",
                "inet6" => "IPv6",
                _ => return None,
            };
            Some((fields[1].to_owned(), format!("{family} {}", fields[3])))
        })
        .collect();
    let actual: BTreeSet<(String, String)> = ours
        .stdout_text()
        .lines()
        .map(|line| {
            let (name, rest) = line.split_once(' ').unwrap();
            (name.to_owned(), rest.trim().to_owned())
        })
        .collect();
    assert_eq!(actual, expected);
}
