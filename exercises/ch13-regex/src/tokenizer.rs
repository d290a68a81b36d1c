//! Exercise 13.3: a tokenizer, as in the example of Python's `re` docs.
//!
//! Python's documentation ends with a tokenizer for a small language: one
//! regex, an alternation of named groups, and `m.lastgroup` to see which
//! group matched. Write the same in Rust. The token kinds, tried in this
//! order at each position, are:
//!
//! | kind     | pattern         | what it is                  |
//! |----------|-----------------|-----------------------------|
//! | NUMBER   | `\d+(\.\d*)?`   | an integer or decimal       |
//! | ASSIGN   | `:=`            | assignment                  |
//! | END      | `;`             | end of statement            |
//! | ID       | `[A-Za-z]+`     | an identifier               |
//! | OP       | `[+\-*/]`       | an arithmetic operator      |
//! | NEWLINE  | `\n`            | ends a line: not a token    |
//! | SKIP     | `[ \t]+`        | spaces and tabs: not tokens |
//! | MISMATCH | `.`             | anything else: an error     |
//!
//! An ID that is one of `KEYWORDS` has the keyword itself as its kind
//! (`IF`, not `ID`). Lines count from 1; a column is the number of
//! *characters* (not bytes) between the start of the line and the token,
//! as in Python. A MISMATCH is an error naming the character, its line and
//! its column.
//!
//! Check your solution with `cargo xtask exercise 13.3`.

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

/// The tokens of `code`, or the first character that is not one.
pub fn tokenize(code: &str) -> Result<Vec<Token<'_>>, Unexpected> {
    todo!("exercise 13.3: tokenize {code:?}")
}
