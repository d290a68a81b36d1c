//! Exercise 13.2: `sed s///` with Python's replacements
//! Edit: exercises/ch13-regex/src/bin/sed_s.rs
//! Hint: Split the script at unescaped delimiters first. Translate the replacement once, into the regex crate's syntax: `\1` becomes `${1}` (with braces: `$1a` would name a group `1a`), `\g<name>` becomes `${name}`, and a literal `$` becomes `$$`; check each group against `regex.captures_len()` and `regex.capture_names()`, because the regex crate silently inserts nothing for a group that does not exist. Then `regex.replacen(line, if global { 0 } else { 1 }, &replacement)`.

use std::fs;
use std::process::Command;

use harness::{Output, run_with};

/// Python's `re.sub` on each line, the reference for every case: one JSON
/// case a line in, one JSON string (the edited text) a line out.
const PYTHON: &str = r#"
import json, re, sys
for case in sys.stdin:
    pattern, repl, flags, text = json.loads(case)
    count = 0 if "g" in flags else 1
    options = re.IGNORECASE if "i" in flags else 0
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    out = []
    for line in lines:
        body, newline = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        out.append(re.sub(pattern, repl, body, count=count, flags=options) + newline)
    print(json.dumps("".join(out)))
"#;

fn json(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c < ' ' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out + "\""
}

fn sed_s(args: &[&str], stdin: &str) -> Output {
    run_with(
        Command::new(harness::exercise_bin!("sed_s")).args(args),
        stdin.as_bytes(),
        harness::DEADLINE,
    )
}

/// What Python's `re.sub` makes of every case, in one `python3` run.
fn python_subs(cases: &[(char, &str, &str, &str, &str)]) -> Vec<String> {
    let input: String = cases
        .iter()
        .map(|(_, pattern, repl, flags, text)| {
            let fields = [pattern, repl, flags, text].map(|f| json(f));
            format!("[{}]\n", fields.join(", "))
        })
        .collect();
    let out = run_with(
        Command::new("python3")
            .args(["-c", PYTHON])
            .env("PYTHONIOENCODING", "utf-8"),
        input.as_bytes(),
        harness::DEADLINE,
    );
    assert!(out.status.success(), "python3: {}", out.stderr_text());
    out.stdout_text().lines().map(unjson).collect()
}

/// A JSON string as `json.dumps` writes it (ASCII, with `\uXXXX`).
fn unjson(quoted: &str) -> String {
    let inner = &quoted[1..quoted.len() - 1];
    let mut text = String::new();
    let mut chars = inner.chars();
    let mut pending_high: Option<u32> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => text.push('\n'),
            Some('t') => text.push('\t'),
            Some('r') => text.push('\r'),
            Some('b') => text.push('\u{8}'),
            Some('f') => text.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let unit = u32::from_str_radix(&hex, 16).unwrap();
                match (pending_high.take(), unit) {
                    (None, 0xD800..=0xDBFF) => pending_high = Some(unit),
                    (Some(high), low) => {
                        let code =
                            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        text.push(char::from_u32(code).unwrap());
                    }
                    (None, unit) => text.push(char::from_u32(unit).unwrap()),
                }
            }
            Some(other) => text.push(other),
            None => panic!("a lone backslash in {quoted:?}"),
        }
    }
    text
}

/// (delimiter, pattern, replacement, flags, input): patterns that mean the
/// same in Python and in the regex crate, and never match "".
const CASES: &[(char, &str, &str, &str, &str)] = &[
    (
        '/',
        r"(\w+) (\w+)",
        r"\2 \1",
        "",
        "hello world\nfoo bar baz\n",
    ),
    ('/', r"\d", "#", "g", "a1b22\nno digits\n3"),
    ('/', r"\d", "#", "", "a1b22\n"),
    ('/', r"(\d)", r"\1a", "g", "a1b2\n"),
    (
        '/',
        r"(?P<user>\w+)@(?P<host>[\w.]+)",
        r"\g<host>!\g<user>",
        "g",
        "ann@x.org, bob@y.net\n",
    ),
    (
        '|',
        "/usr/local",
        "/opt",
        "g",
        "/usr/local/bin:/usr/local/lib\n",
    ),
    ('/', "a/b", "c", "", "xa/by\n"),
    (
        '/',
        "colou?r",
        r"\g<0>s",
        "gi",
        "Color and COLOUR and colr\n",
    ),
    ('/', "x", r"$1 \$ \\ \- \g<0>", "g", "x\n"),
    ('/', "(a)|b", r"[\1]", "g", "abc\n"),
    ('/', r"\t", r"\n", "g", "a\tb\n"),
    ('#', "汉字", "中文", "g", "学汉字，写汉字\n"),
    ('/', "(?i)straße", "street", "", "Straße STRAẞE\n"),
    (
        '/',
        r"(\w)(\w)(\w)(\w)(\w)(\w)(\w)(\w)(\w)(\w)",
        r"\10\1",
        "",
        "abcdefghij\n",
    ),
    (
        '/',
        "z",
        "Z",
        "g",
        "\n\nno z on this line\nlast z without newline",
    ),
];

fn script(
    delimiter: char,
    pattern: &str,
    replacement: &str,
    flags: &str,
) -> String {
    let escape =
        |text: &str| text.replace(delimiter, &format!("\\{delimiter}"));
    format!(
        "s{delimiter}{}{delimiter}{}{delimiter}{flags}",
        escape(pattern),
        escape(replacement)
    )
}

#[test]
fn sed_s_replaces_like_python_re_sub_on_every_line() {
    let expected = python_subs(CASES);
    assert_eq!(expected.len(), CASES.len());
    for (&(delimiter, pattern, replacement, flags, input), want) in
        CASES.iter().zip(expected)
    {
        let script = script(delimiter, pattern, replacement, flags);
        let out = sed_s(&[&script], input);
        assert!(out.status.success(), "{script:?}: {out}");
        assert_eq!(out.stdout_text(), want, "sed_s {script:?} on {input:?}");
    }
}

#[test]
fn sed_s_reads_files_in_order_and_reports_a_missing_one_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.txt");
    let second = dir.path().join("second.txt");
    fs::write(&first, "one 1\n").unwrap();
    fs::write(&second, "two 2\n").unwrap();
    let missing = dir.path().join("missing.txt");
    let out = run_with(
        Command::new(harness::exercise_bin!("sed_s"))
            .arg(r"s/\d/<\g<0>>/")
            .args([&first, &missing, &second]),
        b"",
        harness::DEADLINE,
    );
    assert_eq!(out.stdout_text(), "one <1>\ntwo <2>\n", "{out}");
    assert_eq!(out.code(), Some(2), "{out}");
    assert_eq!(
        out.stderr_text(),
        format!("sed_s: {}: No such file or directory\n", missing.display())
    );
}

#[test]
fn sed_s_refuses_a_bad_script_with_status_1() {
    for script in [
        "y/a/b/",
        "s",
        "s/a/b",
        "s/a/b/x",
        "s/(/x/",
        r"s/(a)/\2/",
        r"s/(a)/\g<nope>/",
        r"s/a/\q/",
        r"s/a/\g<1/",
    ] {
        let out = sed_s(&[script], "a\n");
        assert_eq!(out.code(), Some(1), "{script:?}: {out}");
        assert!(out.stdout.is_empty(), "{script:?}: {out}");
        assert!(
            out.stderr_text().starts_with("sed_s: "),
            "{script:?}: {out}"
        );
    }
}
