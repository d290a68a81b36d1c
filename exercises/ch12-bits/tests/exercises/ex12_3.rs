//! Exercise 12.3: Splitting a network into subnets
//! Edit: exercises/ch12-bits/src/bin/subnets.rs
//! Hint: Work on the address as a `u32` (`Ipv4Addr::to_bits`). The netmask of /n is `u32::MAX << (32 - n)`, except /0, where that shift overflows (`checked_shl`). Host bits are set if `address & !netmask != 0`. There are `1 << (new - n)` subnets, `1 << (32 - new)` addresses apart; count them in a `u64`, since a /0 split into /32s has 2^32.

use std::process::Command;
use std::sync::OnceLock;

use harness::{exercise_bin, run};

fn subnets(args: &[&str]) -> harness::Output {
    run(Command::new(exercise_bin!("subnets")).args(args))
}

/// Networks whose subnets Python prints, `/0` and `/32` among them.
const SPLITS: &[&[&str]] = &[
    &["10.0.0.0/22", "24"],
    &["10.0.0.0/22"],
    &["192.168.0.0/16", "20"],
    &["192.168.0.0/24", "26"],
    &["172.16.0.0/12", "14"],
    &["0.0.0.0/0", "3"],
    &["0.0.0.0/0"],
    &["10.0.0.0/22", "22"],
    &["10.0.0.0/31"],
    &["10.0.0.0/30", "32"],
    &["10.0.0.7/32"],
    &["10.0.0.7"],
    &["255.255.255.0/24", "27"],
    &["203.0.113.64/26", "29"],
];

/// Arguments Python refuses, with its messages.
const ERRORS: &[(&[&str], &str)] = &[
    (&["10.0.0.1/22", "24"], "10.0.0.1/22 has host bits set"),
    (&["192.168.1.77/20"], "192.168.1.77/20 has host bits set"),
    (&["10.0.0.0/22", "20"], "new prefix must be longer"),
    (&["10.0.0.0/24", "0"], "new prefix must be longer"),
];

/// What Python prints for each case of SPLITS, then of ERRORS: whether it
/// succeeded, and its output or its error message. One python3 run for
/// both tests, since starting Python takes longer than all the cases.
fn python() -> &'static [(bool, String)] {
    static ANSWERS: OnceLock<Vec<(bool, String)>> = OnceLock::new();
    ANSWERS.get_or_init(|| {
        let code = "import ipaddress, sys
for case in sys.argv[1:]:
    args = case.split(' ')
    try:
        net = ipaddress.ip_network(args[0])
        kw = {'new_prefix': int(args[1])} if len(args) > 1 else {}
        text = ''.join(f'{sub}\\n' for sub in net.subnets(**kw))
        print('ok', repr(text))
    except ValueError as err:
        print('error', repr(f'{err}\\n'))";
        let cases: Vec<String> = SPLITS
            .iter()
            .chain(ERRORS.iter().map(|(args, _)| args))
            .map(|args| args.join(" "))
            .collect();
        let out = run(Command::new("python3").arg("-c").arg(code).args(&cases));
        out.assert_success();
        let answers: Vec<(bool, String)> = out
            .stdout_text()
            .lines()
            .map(|line| {
                let (status, text) = line.split_once(' ').unwrap();
                // A Python repr of a str: quotes, and \n for each newline.
                let text = &text[1..text.len() - 1];
                (status == "ok", text.replace("\\n", "\n"))
            })
            .collect();
        assert_eq!(answers.len(), cases.len(), "{out}");
        answers
    })
}

#[test]
fn subnets_are_pythons_subnets() {
    for (args, (ok, want)) in SPLITS.iter().zip(python()) {
        assert!(ok, "python3 refused {args:?}: {want}");
        let out = subnets(args);
        assert_eq!(out.code(), Some(0), "subnets {}\n{out}", args.join(" "));
        assert_eq!(&out.stdout_text(), want, "subnets {}", args.join(" "));
    }
}

#[test]
fn a_large_split_prints_every_subnet_in_order() {
    let out = subnets(&["10.0.0.0/8", "24"]);
    assert_eq!(out.code(), Some(0), "{out}");
    let text = out.stdout_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 65_536);
    assert_eq!(lines[0], "10.0.0.0/24");
    assert_eq!(lines[1], "10.0.1.0/24");
    assert_eq!(lines[256], "10.1.0.0/24");
    assert_eq!(lines[65_535], "10.255.255.0/24");
}

#[test]
fn errors_are_pythons_errors() {
    let answers = &python()[SPLITS.len()..];
    for ((args, message), (ok, python)) in ERRORS.iter().zip(answers) {
        assert!(!ok && python.trim() == *message, "python3 says {python}");
        let out = subnets(args);
        assert_eq!(out.code(), Some(1), "subnets {}\n{out}", args.join(" "));
        assert_eq!(
            out.stderr_text(),
            format!("subnets: {message}\n"),
            "subnets {}",
            args.join(" ")
        );
        assert_eq!(out.stdout_text(), "", "no subnets on an error");
    }
}

#[test]
fn bad_networks_and_prefixes_are_refused() {
    for args in [
        &["10.0.0.0/33"][..],
        &["10.0.0.256/24"],
        &["10.0.0/24"],
        &["10.0.0.0/+24"],
        &["10.0.0.0/ 24"],
        &["10.0.0.0/"],
        &["example.com/24"],
        &["10.0.0.0/24", "33"],
        &["10.0.0.0/24", "x"],
    ] {
        let out = subnets(args);
        assert_eq!(out.code(), Some(1), "subnets {}\n{out}", args.join(" "));
        assert!(out.stderr_text().starts_with("subnets: "), "{out}");
        assert_eq!(out.stdout_text(), "", "no subnets on an error");
    }
}

#[test]
fn usage_without_arguments_or_with_too_many() {
    for args in [&[][..], &["10.0.0.0/8", "9", "10"]] {
        let out = subnets(args);
        assert_eq!(out.code(), Some(2), "{out}");
        assert_eq!(out.stderr_text(), "usage: subnets NETWORK [NEW_PREFIX]\n");
    }
}
