//! Exercise 13.3: a tokenizer, as in the example of Python's `re` docs (a
//! solution).

use std::sync::LazyLock;

use regex::Regex;

/// The language's keywords.
pub const KEYWORDS: [&str; 7] =
    ["IF", "THEN", "ENDIF", "FOR", "NEXT", "GOSUB", "RETURN"];

/// One token: its kind, its text, where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: &'a str,
    pub text: &'a str,
    pub line: usize,
    pub column: usize,
}

/// A character no token can start with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unexpected {
    pub character: char,
    pub line: usize,
    pub column: usize,
}

const SPECIFICATION: [(&str, &str); 8] = [
    ("NUMBER", r"\d+(\.\d*)?"),
    ("ASSIGN", r":="),
    ("END", r";"),
    ("ID", r"[A-Za-z]+"),
    ("OP", r"[+\-*/]"),
    ("NEWLINE", r"\n"),
    ("SKIP", r"[ \t]+"),
    ("MISMATCH", r"."),
];

/// `(?P<NUMBER>…)|(?P<ASSIGN>…)|…`: the first alternative that matches
/// wins, as in Python.
static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = SPECIFICATION
        .iter()
        .map(|(kind, pattern)| format!("(?P<{kind}>{pattern})"))
        .collect();
    Regex::new(&alternatives.join("|")).expect("a valid pattern")
});

/// The tokens of `code`, or the first character that is not one.
pub fn tokenize(code: &str) -> Result<Vec<Token<'_>>, Unexpected> {
    let mut tokens = Vec::new();
    let (mut line, mut line_start) = (1, 0);
    for caps in TOKEN.captures_iter(code) {
        // Python's m.lastgroup: the one named group that took part.
        let kind = SPECIFICATION
            .iter()
            .map(|(kind, _)| *kind)
            .find(|kind| caps.name(kind).is_some())
            .expect("one alternative matched");
        let whole = caps.get(0).expect("group 0 is the match");
        let column = code[line_start..whole.start()].chars().count();
        let text = whole.as_str();
        match kind {
            "NEWLINE" => {
                line += 1;
                line_start = whole.end();
            }
            "SKIP" => {}
            "MISMATCH" => {
                let character = text.chars().next().expect("one character");
                return Err(Unexpected {
                    character,
                    line,
                    column,
                });
            }
            "ID" if KEYWORDS.contains(&text) => {
                tokens.push(Token {
                    kind: text,
                    text,
                    line,
                    column,
                });
            }
            kind => tokens.push(Token {
                kind,
                text,
                line,
                column,
            }),
        }
    }
    Ok(tokens)
}
