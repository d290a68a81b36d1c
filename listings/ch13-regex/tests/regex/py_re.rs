//! `py_re` against Python's `re`: the same arguments, the same output.

use std::process::Command;

use harness::{check_output, run};

use crate::{Job, python, python_versions};

/// Runs every case (an argument: a JSON list, the function's name and its
/// arguments) through Python's `re`, one line per case: the result as
/// `json.dumps` prints it, or `ERROR: <exception>`.
const DRIVER: &str = r#"
import json, re, sys, warnings
warnings.simplefilter("ignore")  # FutureWarning for "[[" and friends
for case in sys.argv[1:]:
    function, *args = json.loads(case)
    try:
        print(json.dumps(getattr(re, function)(*args), ensure_ascii=False))
    except (re.error, IndexError) as err:
        print("ERROR:", type(err).__name__)
"#;

/// A case: a function of `re` and its arguments.
type Case = (String, Vec<String>);

pub fn python_jobs() -> Vec<Job> {
    let job = |name, cases: Vec<Case>| {
        let args = cases
            .iter()
            .map(|(function, args)| {
                let items: Vec<String> = std::iter::once(json(function))
                    .chain(args.iter().map(|arg| json(arg)))
                    .collect();
                format!("[{}]", items.join(", "))
            })
            .collect();
        Job::code(name, DRIVER, args)
    };
    vec![
        job("corpus", owned(CASES)),
        job("unsupported", unsupported_cases()),
        job("invalid", invalid_cases()),
        job("random", random_cases()),
    ]
}

/// (function, arguments): findall and split take PATTERN TEXT, sub takes
/// PATTERN REPL TEXT. Every metacharacter, class, flag and function of
/// the chapter, and the places where Python and the regex crate differ.
const CASES: &[(&str, &[&str])] = &[
    // Ordinary characters, 汉字 included; | and spaces.
    ("findall", &["abc", "abcxabc"]),
    ("findall", &["汉字", "学汉字，写汉字"]),
    ("findall", &["ab|c", "abcac"]),
    ("findall", &["ab | c", "ab c ab"]),
    // . and (?s)
    ("findall", &["a.b", "acb a\nb a.b"]),
    ("findall", &["(?s)a.b", "a\nb"]),
    // Classes; in Python [[, && and ]-first are plain characters.
    ("findall", &["[0-9a-f]+", "deadbeef 42 xyz"]),
    ("findall", &["[^0-9]+", "ab12cd"]),
    ("findall", &["[_a-z]+|[a-z_]+", "a_b Z"]),
    ("findall", &["[]a]+", "]a]b"]),
    ("findall", &["[^]a]+", "]ab]cd"]),
    ("findall", &["[.^]", "a.^b"]),
    ("findall", &["[a-]+", "a-b"]),
    ("findall", &[r"[\d\s]+", "1 2x"]),
    ("findall", &["[[a]+", "[a[b"]),
    ("findall", &["[a&&b]+", "a&&b"]),
    ("findall", &["[一-龥]+", "中文abc汉字"]),
    // Anchors: ^ $ \A \Z, with and without (?m); $ before a final \n.
    ("findall", &[r"^\d+", "12 34"]),
    ("findall", &[r"(?m)^\d+", "12\n34"]),
    ("findall", &[r"\d+$", "12 34"]),
    ("findall", &[r"\d+$", "12 34\n"]),
    ("findall", &[r"(?m)\d+$", "12\n34\n"]),
    ("findall", &[r"\A\d", "1a\n2b"]),
    ("findall", &[r"\d\Z", "a1\nb2"]),
    ("findall", &[r"\d\Z", "a1\nb2\n"]),
    ("findall", &[r"(?m)^$", "a\n\nb"]),
    // Repetition.
    ("findall", &["wo*", "w wo woo"]),
    ("findall", &["wo+", "w wo woo"]),
    ("findall", &["wo?", "w wo woo"]),
    ("findall", &["wo{3}", "wooo woo"]),
    ("findall", &["wo{1,3}", "woooo"]),
    ("findall", &["o{,2}", "ooo"]),
    ("findall", &["a{2,}", "a aa aaa"]),
    ("findall", &["x{", "x{"]),
    ("findall", &["a{}", "a{}"]),
    ("findall", &["a{,}", "aa"]),
    // Greedy and lazy.
    ("findall", &["<.*>", "<a><b>"]),
    ("findall", &["<.*?>", "<a><b>"]),
    ("findall", &["a+?", "aaa"]),
    ("findall", &["a{2,3}?", "aaaaa"]),
    // Groups: findall returns groups, not matches.
    ("findall", &["(ab)+", "ababx ab"]),
    ("findall", &["(?:ab)+", "ababx ab"]),
    ("findall", &[r"(\w+)@(\w+)\.com", "ann@x.com, bob@y.com"]),
    ("findall", &["((a)b)", "abab"]),
    ("findall", &["(a)|(b)", "ab"]),
    (
        "findall",
        &[r"(?P<year>\d{4})-(?P<month>\d\d)", "2024-05 1999-12"],
    ),
    ("findall", &["(a?)b", "ab b"]),
    // \d \D \w \W \s \S \b \B, and how Python defines them.
    ("findall", &[r"\d+", "12 ٣٤ ３４"]),
    ("findall", &[r"\D+", "a1b"]),
    ("findall", &[r"\w+", "naïve 汉字 ½ x_y"]),
    ("findall", &[r"\W+", "a, b!c"]),
    ("findall", &[r"\s+", "a \t\u{3000}b\u{1c}c"]),
    ("findall", &[r"\S+", "a \t\u{3000}b\u{1c}c"]),
    ("findall", &[r"\bcat\b", "cat concat cat's"]),
    ("findall", &[r"\Bcat", "concat cat"]),
    ("findall", &[r"\B", ""]),
    ("findall", &[r"\b", ""]),
    ("findall", &[r"\b\w", "汉字 and ñu"]),
    // Escapes, including ones the regex crate reads differently.
    (
        "findall",
        &[r"\.\*\+\?\^\$\[\]\(\)\{\}\|\\", r".*+?^$[](){}|\"],
    ),
    ("findall", &[r"a\-b\<c\>", "a-b<c>"]),
    ("findall", &[r"\x41\u00e9\t", "Aé\t"]),
    ("findall", &[r"\101\061", "A1"]),
    ("findall", &[r"[\b]", "a\u{8}b"]),
    ("findall", &["\\\n", "a\nb"]),
    // Flags.
    ("findall", &["(?i)straße", "STRASSE Straße STRAẞE"]),
    ("findall", &["(?i)[a-z]+", "Hello Wörld"]),
    ("findall", &[r"(?a)\w+", "héllo wörld"]),
    ("findall", &[r"(?a)\d", "٣3"]),
    ("findall", &[r"(?a)\s", "a\u{a0}b c"]),
    ("findall", &[r"(?ai)k", "kK\u{212a}"]),
    ("findall", &[r"(?i)k", "kK\u{212a}"]),
    ("findall", &["(?x) \\d+  # digits\n - \\d+ # more", "12-34"]),
    ("findall", &["(?i:a)b", "ABab Ab"]),
    ("findall", &["(?ms)^a.b$", "a\nb\nx"]),
    ("findall", &[r"(?u)\w+", "é"]),
    ("findall", &["(?#a comment)a", "a"]),
    // split: separators from groups are kept; None for a group that did
    // not take part; empty matches split too.
    ("split", &[r"[,;]\s*", "a, b;c"]),
    ("split", &["(,)", "a,b,c"]),
    ("split", &["(,)|(;)", "a,b;c"]),
    ("split", &["x*", "axb"]),
    ("split", &[r"\b", "hi there"]),
    ("split", &[r"\s+", " lead and trail "]),
    ("split", &["", "abc"]),
    // sub: Python's replacement syntax.
    ("sub", &[r"\d", "#", "a1b22"]),
    ("sub", &[r"(\d+)", r"<\1>", "a1b22"]),
    ("sub", &[r"(\d)", r"\1a", "a1b2"]),
    ("sub", &["(a)", r"\g<1>0", "a"]),
    (
        "sub",
        &[
            r"(?P<first>\w+) (?P<last>\w+)",
            r"\g<last>, \g<first>",
            "Ada Lovelace",
        ],
    ),
    ("sub", &["x*", "-", "abxd"]),
    ("sub", &["a", r"$0\\\n\t", "a"]),
    ("sub", &["(a)|b", r"[\1]", "ab"]),
    ("sub", &["a", r"\-\&", "a"]),
    ("sub", &["", "-", "abc"]),
    ("sub", &[r"\s+$", "", "trailing  \n"]),
    ("sub", &[r"(\w)(\w)", r"\2\1\g<0>", "abcd"]),
    ("sub", &["b", r"\101\0", "abc"]),
    // findall's corner cases and JSON escapes.
    ("findall", &["", "abc"]),
    ("findall", &["x*", "abxd"]),
    ("findall", &[".", "\"\\\u{1}\u{7f}"]),
];

/// Python accepts these; the regex crate cannot run them. (pattern, text,
/// what the message must name.)
const UNSUPPORTED: &[(&str, &str, &str)] = &[
    ("(?=a)", "a", "look-ahead"),
    ("(?!a)", "a", "look-ahead"),
    ("(?<=a)b", "ab", "look-behind"),
    ("(?<!a)b", "ab", "look-behind"),
    (r"(a)\1", "aa", "back-reference"),
    ("(?P<x>a)(?P=x)", "aa", "back-reference"),
    ("(?>a)", "a", "atomic group"),
    ("a*+", "aa", "possessive"),
    ("(a)?(?(1)b|c)", "ab", "conditional"),
    (r"\N{EM DASH}", "—", r"\N{"),
    (r"\d$", "1\n2\n", "`$` before a final newline"),
    (r"\bé", "e\u{301}é", r"\b next to '\u{301}'"),
    ("a??", "aa", "empty match"),
    ("|a", "a", "empty match"),
    ("(a?)*", "aa", "can match the empty string"),
];

/// Python rejects these too (re.error): py_re exits with status 1.
const INVALID: &[&str] = &[
    "(", "a)", "a**", "*a", "[a", r"\q", "a(?i)b", "(?L)a", "x{2,1}", r"\2(a)",
];

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

/// What Python's `re` printed for each case of job `name`.
fn python_results(name: &str, cases: &[Case]) -> Vec<String> {
    let out = python(name);
    let lines: Vec<String> = out.lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), cases.len(), "{out}");
    lines
}

fn py_re(args: &[impl AsRef<std::ffi::OsStr>]) -> harness::Output {
    run(Command::new(env!("CARGO_BIN_EXE_py_re")).args(args))
}

fn owned(cases: &[(&str, &[&str])]) -> Vec<Case> {
    cases
        .iter()
        .map(|(f, args)| {
            (f.to_string(), args.iter().map(|a| a.to_string()).collect())
        })
        .collect()
}

#[test]
fn py_re_prints_what_python_prints_for_every_case_of_the_corpus() {
    let cases = owned(CASES);
    assert!(cases.len() >= 60);
    let want = python_results("corpus", &cases);
    // Python 3.14 lets \B match in an empty string; py_re follows 3.11.
    let new_b = python_versions().0 >= (3, 14);
    let mut failures = Vec::new();
    for ((function, args), want) in cases.iter().zip(&want) {
        if new_b && args[..] == [r"\B", ""] {
            continue;
        }
        assert!(
            !want.starts_with("ERROR"),
            "Python refuses {function} {args:?}: {want}"
        );
        let out = py_re(&[std::slice::from_ref(function), &args[..]].concat());
        let got = out.stdout_text();
        if !out.status.success() || got.trim_end_matches('\n') != want {
            failures.push(format!(
                "{function} {args:?}\n  python: {want}\n  py_re:  {out}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn unsupported_cases() -> Vec<Case> {
    UNSUPPORTED
        .iter()
        .map(|(pattern, text, _)| {
            (
                "findall".to_owned(),
                vec![pattern.to_string(), text.to_string()],
            )
        })
        .collect()
}

#[test]
fn py_re_refuses_what_the_regex_crate_cannot_do_with_status_2() {
    let python = python_results("unsupported", &unsupported_cases());
    for ((pattern, text, feature), python) in UNSUPPORTED.iter().zip(python) {
        assert!(
            !python.starts_with("ERROR"),
            "Python accepts {pattern:?}: {python}"
        );
        let out = py_re(&["findall", pattern, text]);
        assert_eq!(out.code(), Some(2), "{pattern:?}: {out}");
        assert!(out.stdout.is_empty(), "{pattern:?}: {out}");
        let message = out.stderr_text();
        assert!(
            message.starts_with("py_re: the regex crate cannot do this: ")
                && message.contains(feature),
            "{pattern:?} should name {feature:?}: {message}"
        );
    }
}

fn invalid_cases() -> Vec<Case> {
    INVALID
        .iter()
        .map(|pattern| {
            (
                "findall".to_owned(),
                vec![pattern.to_string(), "a".to_owned()],
            )
        })
        .collect()
}

#[test]
fn py_re_rejects_what_python_rejects_with_status_1() {
    let python = python_results("invalid", &invalid_cases());
    for (pattern, python) in INVALID.iter().zip(python) {
        assert_eq!(python, "ERROR: error", "{pattern:?}");
        let out = py_re(&["findall", pattern, "a"]);
        assert_eq!(out.code(), Some(1), "{pattern:?}: {out}");
    }
    // A replacement naming a group that does not exist.
    for repl in [r"\2", r"\g<nope>", r"\g<3>", r"\q"] {
        let out = py_re(&["sub", "(a)", repl, "a"]);
        assert_eq!(out.code(), Some(1), "{repl:?}: {out}");
    }
}

/// A small deterministic generator (a linear congruential one), so that
/// every run tries the same patterns.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn pattern(&mut self, depth: u32) -> String {
        const ATOMS: &[&str] = &[
            "a", "b", "A", ".", "[ab]", "[^a]", "[a-c\\d]", r"\w", r"\W",
            r"\d", r"\s", r"\b", r"\B", "^", "$", r"\A", r"\Z", "é", "汉", "_",
            r"\.", " ", "K",
        ];
        const ANCHORS: &[&str] = &["^", "$", r"\A", r"\Z", r"\b", r"\B"];
        let mut out = String::new();
        for _ in 0..=self.below(3) {
            let mut atom = if depth < 2 && self.below(5) == 0 {
                let mut inner = self.pattern(depth + 1);
                if self.below(3) == 0 {
                    inner = format!("{inner}|{}", self.pattern(depth + 1));
                }
                format!(
                    "{}{inner})",
                    self.pick(&["(", "(?:", "(?P<g>"])
                        .replace("(?P<g>", &format!("(?P<g{}>", self.0 % 1000))
                )
            } else {
                self.pick(ATOMS).to_owned()
            };
            if !ANCHORS.contains(&atom.as_str()) && self.below(5) < 2 {
                atom.push_str(self.pick(&[
                    "*", "+", "?", "{2}", "{1,2}", "{,2}", "*?", "+?",
                ]));
            }
            out.push_str(&atom);
        }
        out
    }
}

/// 200 random patterns, the same on every run, each with a text and a
/// function.
fn random_cases() -> Vec<Case> {
    const FLAGS: &[&str] =
        &["", "", "", "(?i)", "(?m)", "(?s)", "(?a)", "(?ai)"];
    const TEXTS: &[&str] = &[
        "a",
        "ab",
        "aab ba",
        "a1 b2_",
        "é汉a",
        "a\n",
        "a\nb",
        " a.b-",
        "Ab\nBA",
        "k\u{212a}K",
        "½a",
    ];
    let mut lcg = Lcg(13);
    (0..200)
        .map(|_| {
            let pattern = format!("{}{}", lcg.pick(FLAGS), lcg.pattern(0));
            let text = lcg.pick(TEXTS).to_owned();
            match lcg.below(3) {
                0 => ("findall".into(), vec![pattern, text]),
                1 => ("split".into(), vec![pattern, text]),
                _ => ("sub".into(), vec![pattern, r"<\g<0>>".into(), text]),
            }
        })
        .collect()
}

#[test]
fn py_re_agrees_with_python_on_random_patterns_or_refuses() {
    let cases = random_cases();
    let want = python_results("random", &cases);
    let (mut compared, mut refused) = (0, 0);
    for ((function, args), want) in cases.iter().zip(&want) {
        let out = py_re(&[std::slice::from_ref(function), &args[..]].concat());
        if want.starts_with("ERROR") {
            assert_eq!(
                out.code(),
                Some(1),
                "{function} {args:?}: Python says {want}; {out}"
            );
        } else if out.code() == Some(2) {
            refused += 1;
        } else {
            assert_eq!(
                out.stdout_text().trim_end_matches('\n'),
                want,
                "{function} {args:?}: {out}"
            );
            compared += 1;
        }
    }
    assert!(
        compared >= 3 * refused,
        "{compared} compared, {refused} refused"
    );
}

#[test]
fn py_re_sub_translates_python_replacements() {
    let out = py_re(&["sub", r"(\d)", r"\1a", "a1b2"]);
    out.assert_success();
    check_output!("../../output/py_re_sub.txt", &out.stdout_text());
    let out = py_re(&["translate", r"(?P<n>\d+)\Z|[\w-]$", "ab\n"]);
    out.assert_success();
    check_output!("../../output/py_re_translate.txt", &out.stdout_text());
    let out = py_re(&["findall", r"(\w)\1", "aabb"]);
    assert_eq!(out.code(), Some(2));
    check_output!("../../output/py_re_refuse.txt", &out.stderr_text());
}
