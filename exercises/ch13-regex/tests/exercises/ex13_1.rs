//! Exercise 13.1: A log-line parser and a classifier
//! Edit: exercises/ch13-regex/src/logline.rs
//! Hint: One `Regex` with named groups `(?P<host>…)`, anchored with `\A` and `\z`, in a `static LazyLock<Regex>`; an optional group `(?:\[(?P<pid>[0-9]{1,10})\])?` gives `caps.name("pid") == None` when it is absent. Write `[0-9]`, not `\d`: `\d` matches Arabic-Indic and fullwidth digits too. `RegexSet::new(patterns).matches(message)` yields the indices of every matching pattern, in order.

#[cfg(not(feature = "reference"))]
use ex13_regex::logline::{Entry, classify, parse};
#[cfg(feature = "reference")]
use ex13_regex::logline_reference::{Entry, classify, parse};

#[test]
fn parse_reads_every_field() {
    let line = "2024-05-01T12:00:03Z web1 sshd[812]: Failed password for root from 10.0.0.5";
    assert_eq!(
        parse(line),
        Some(Entry {
            timestamp: "2024-05-01T12:00:03Z",
            host: "web1",
            program: "sshd",
            pid: Some(812),
            message: "Failed password for root from 10.0.0.5",
        })
    );
}

#[test]
fn parse_takes_a_line_without_a_pid_and_an_empty_message() {
    let entry = parse("2024-05-01T23:59:59Z db-2.local kernel: ")
        .expect("a valid line");
    assert_eq!(entry.host, "db-2.local");
    assert_eq!(entry.program, "kernel");
    assert_eq!(entry.pid, None);
    assert_eq!(entry.message, "");
    let entry =
        parse("2024-05-02T00:00:00Z h systemd/user[1]: 汉字: a: b").unwrap();
    assert_eq!(entry.program, "systemd/user");
    assert_eq!(entry.message, "汉字: a: b");
}

#[test]
fn parse_refuses_lines_out_of_format() {
    for line in [
        "",
        "2024-05-01 12:00:03 web1 sshd[812]: no T and Z",
        "2024-05-01T12:00:03Z web1 sshd[812] missing colon",
        "2024-05-01T12:00:03Z web1 sshd[]: empty pid",
        "2024-05-01T12:00:03Z web1 sshd[12a]: letters in the pid",
        "2024-05-01T12:00:03Z web1 sshd[99999999999]: eleven digits",
        "2024-05-01T12:00:03Z web1 sshd[4294967296]: more than u32::MAX",
        "2024-05-01T12:00:03Z  web1 sshd: two spaces",
        "2024-05-01T12:00:03Z web_1 sshd: underscore in the host",
        "٢٠٢٤-05-01T12:00:03Z web1 sshd: Arabic-Indic digits",
        "２０２４-05-01T12:00:03Z web1 sshd: fullwidth digits",
        "x2024-05-01T12:00:03Z web1 sshd: text before the timestamp",
        "2024-05-01T12:00:03Z web1 sshd: two\nlines",
    ] {
        assert_eq!(parse(line), None, "{line:?} is not a log line");
    }
    assert_eq!(
        parse("2024-05-01T12:00:03Z web1 sshd[4294967295]: u32::MAX")
            .map(|e| e.pid),
        Some(Some(u32::MAX))
    );
}

#[test]
fn classify_names_every_rule_that_matches_in_order() {
    assert_eq!(
        classify("Failed password for root from 10.0.0.5 port 22"),
        ["auth", "ipv4"]
    );
    assert_eq!(classify("write failed: No space left on device"), ["disk"]);
    assert_eq!(
        classify(
            "connect to 192.168.1.9: Connection refused; disk quota exceeded"
        ),
        ["disk", "network", "ipv4"]
    );
    assert_eq!(classify("NETWORK IS UNREACHABLE"), ["network"]);
    assert_eq!(classify("all good"), Vec::<&str>::new());
    assert_eq!(
        classify("disk fullness is a word, 1.2.3 is not an address"),
        Vec::<&str>::new()
    );
}

#[test]
fn parse_and_classify_work_together_on_a_log() {
    let log = "2024-05-01T12:00:01Z web1 sshd[812]: Invalid user admin from 203.0.113.7\n\
               2024-05-01T12:00:02Z web1 nginx: upstream connection timed out\n\
               garbage\n\
               2024-05-01T12:00:03Z db1 postgres[77]: could not write: No space left on device\n";
    let labels: Vec<(&str, Vec<&str>)> = log
        .lines()
        .filter_map(parse)
        .map(|entry| (entry.host, classify(entry.message)))
        .collect();
    assert_eq!(
        labels,
        [
            ("web1", vec!["auth", "ipv4"]),
            ("web1", vec!["network"]),
            ("db1", vec!["disk"]),
        ]
    );
}
