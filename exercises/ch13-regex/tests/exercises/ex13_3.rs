//! Exercise 13.3: A tokenizer
//! Edit: exercises/ch13-regex/src/tokenizer.rs
//! Hint: Join the table into one pattern, `(?P<NUMBER>\d+(\.\d*)?)|(?P<ASSIGN>:=)|…`, in a `LazyLock<Regex>`; the regex crate, like Python, takes the first alternative that matches. `captures_iter` gives each match; the kind is the one name whose `caps.name(kind)` is `Some` (Python's `m.lastgroup`). A column counts characters: `code[line_start..m.start()].chars().count()`.

use std::collections::HashMap;
use std::process::Command;
use std::sync::LazyLock;

use harness::run_with;

#[cfg(not(feature = "reference"))]
use ex13_regex::tokenizer::{Token, Unexpected, tokenize};
#[cfg(feature = "reference")]
use ex13_regex::tokenizer_reference::{Token, Unexpected, tokenize};

/// The tokenizer of Python's `re` documentation ("Writing a Tokenizer"),
/// keeping each value as text and reporting the column of a mismatch.
const PYTHON: &str = r#"
import re, sys

def tokenize(code):
    keywords = {"IF", "THEN", "ENDIF", "FOR", "NEXT", "GOSUB", "RETURN"}
    token_specification = [
        ("NUMBER",   r"\d+(\.\d*)?"),
        ("ASSIGN",   r":="),
        ("END",      r";"),
        ("ID",       r"[A-Za-z]+"),
        ("OP",       r"[+\-*/]"),
        ("NEWLINE",  r"\n"),
        ("SKIP",     r"[ \t]+"),
        ("MISMATCH", r"."),
    ]
    tok_regex = "|".join("(?P<%s>%s)" % pair for pair in token_specification)
    line_num = 1
    line_start = 0
    for mo in re.finditer(tok_regex, code):
        kind = mo.lastgroup
        value = mo.group()
        column = mo.start() - line_start
        if kind == "ID" and value in keywords:
            kind = value
        elif kind == "NEWLINE":
            line_start = mo.end()
            line_num += 1
            continue
        elif kind == "SKIP":
            continue
        elif kind == "MISMATCH":
            yield ("UNEXPECTED", value, line_num, column)
            return
        yield (kind, value, line_num, column)

import json
for program in sys.stdin:  # one JSON string a line
    for token in tokenize(json.loads(program)):
        print("|".join(map(str, token)))
    print("---")
"#;

/// What the Python tokenizer prints for each program. Every program of
/// every test goes into one `python3` run: a start-up of python3 costs more
/// than tokenizing them all.
fn python(programs: &[&str]) -> Vec<String> {
    static ALL: LazyLock<HashMap<&str, String>> = LazyLock::new(|| {
        let all = [&[STATEMENTS][..], &PROGRAMS, &UNEXPECTED].concat();
        all.iter().copied().zip(run_python(&all)).collect()
    });
    programs
        .iter()
        .map(|program| ALL[program].clone())
        .collect()
}

fn run_python(programs: &[&str]) -> Vec<String> {
    let input: String = programs.iter().map(|p| json(p) + "\n").collect();
    let out = run_with(
        Command::new("python3")
            .args(["-c", PYTHON])
            .env("PYTHONIOENCODING", "utf-8"),
        input.as_bytes(),
        harness::DEADLINE,
    );
    assert!(out.status.success(), "python3: {}", out.stderr_text());
    let text = out.stdout_text();
    let mut outputs: Vec<String> =
        text.split("---\n").map(str::to_owned).collect();
    assert_eq!(outputs.pop().as_deref(), Some(""), "{text}");
    assert_eq!(outputs.len(), programs.len(), "{text}");
    outputs
}

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

/// The tokens as the Python program prints them.
fn shown(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| format!("{}|{}|{}|{}\n", t.kind, t.text, t.line, t.column))
        .collect()
}

/// The statements of Python's example, indented as there.
const STATEMENTS: &str = concat!(
    "    IF quantity THEN\n",
    "        total := total + price * quantity;\n",
    "        tax := price * 0.05;\n",
    "    ENDIF;\n",
);

#[test]
fn tokenize_reads_the_statements_of_pythons_example() {
    let tokens = tokenize(STATEMENTS).expect("no error");
    assert_eq!(tokens.len(), 19);
    assert_eq!(
        tokens[..3],
        [
            Token {
                kind: "IF",
                text: "IF",
                line: 1,
                column: 4
            },
            Token {
                kind: "ID",
                text: "quantity",
                line: 1,
                column: 7
            },
            Token {
                kind: "THEN",
                text: "THEN",
                line: 1,
                column: 16
            },
        ]
    );
    assert_eq!(
        tokens[15],
        Token {
            kind: "NUMBER",
            text: "0.05",
            line: 3,
            column: 23
        }
    );
    assert_eq!(shown(&tokens), python(&[STATEMENTS])[0]);
}

/// Programs without an error.
const PROGRAMS: [&str; 5] = [
    "",
    "x:=1.;y:=2.50\n\tFOR i := 1 / 3 NEXT",
    "GOSUB10 RETURN\n\n\nIFX := IF",
    "a := ٣٤ + b; c := ３",
    "  \t  ",
];

/// Programs with a character no token matches.
const UNEXPECTED: [&str; 4] =
    ["x := 1;\n  y := 2 $ 3", "a := ٣٤ + é", "汉字", "a\r\nb"];

#[test]
fn tokenize_agrees_with_python_on_numbers_tabs_and_keywords() {
    for (code, python) in PROGRAMS.iter().zip(python(&PROGRAMS)) {
        let tokens = tokenize(code).expect("no error");
        assert_eq!(shown(&tokens), python, "{code:?}");
    }
}

#[test]
fn tokenize_reports_the_first_unexpected_character_with_its_column() {
    assert_eq!(
        tokenize("x := 1;\n  y := 2 $ 3"),
        Err(Unexpected {
            character: '$',
            line: 2,
            column: 9
        })
    );
    // Columns count characters: ٣ and ٤ take two bytes each, one column.
    assert_eq!(
        tokenize("a := ٣٤ + é"),
        Err(Unexpected {
            character: 'é',
            line: 1,
            column: 10
        })
    );
    for (code, python) in UNEXPECTED.iter().zip(python(&UNEXPECTED)) {
        let last = python.lines().last().unwrap_or_default();
        let Err(err) = tokenize(code) else {
            panic!("{code:?} holds an unexpected character");
        };
        assert_eq!(
            format!("UNEXPECTED|{}|{}|{}", err.character, err.line, err.column),
            last,
            "{code:?}"
        );
    }
}
