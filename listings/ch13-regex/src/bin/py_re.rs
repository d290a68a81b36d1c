//! `py_re`: Python's `re.findall`, `re.split` and `re.sub`, on the regex crate.
//!
//! ```text
//! py_re findall PATTERN TEXT
//! py_re split PATTERN TEXT
//! py_re sub PATTERN REPL TEXT
//! py_re translate PATTERN [TEXT]
//! ```
//!
//! PATTERN and REPL are written in Python's syntax. The first three print
//! what `print(json.dumps(re.<function>(...), ensure_ascii=False))` prints
//! in Python 3.11; `translate` prints the regex crate pattern PATTERN
//! becomes. Exit status 1: Python rejects the pattern too (`re.error`).
//! Exit status 2: Python accepts it, but the regex crate cannot run it.

use std::env;
use std::process::ExitCode;
use std::sync::LazyLock;

use regex::{Captures, Regex};

// ANCHOR: error
/// Why a pattern or a replacement cannot run.
#[derive(Debug)]
enum Error {
    /// Python refuses it as well: `re.error` (or `IndexError` for an
    /// unknown group name in a replacement).
    Invalid(String),
    /// Python accepts it; the regex crate has no way to do it.
    Unsupported(String),
}
// ANCHOR_END: error

use Error::{Invalid, Unsupported};

/// Python's flags, as far as they change the translation.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    ignore_case: bool,
    multi_line: bool,
    dot_all: bool,
    verbose: bool,
    ascii: bool,
}

/// A Python pattern turned into a regex crate pattern.
struct Translation {
    /// The pattern in the regex crate's syntax.
    rust: String,
    /// It holds a lazy quantifier or an alternation: after an empty match,
    /// Python may find a non-empty one at the same place (see `matches`).
    prefers_empty: bool,
}

/// Reads a Python pattern and writes the regex crate pattern that matches
/// the same strings in `text`. Python's `$` and `\b` depend on the text, so
/// the translation does too.
struct Translator<'a> {
    pattern: Vec<char>,
    at: usize,
    text: &'a str,
    rust: String,
    flags: Flags,
    /// What to restore at each open group's `)`.
    open: Vec<(Flags, Shape)>,
    shape: Shape,
    groups: usize,
    /// Nothing but global flags so far: `(?i)` is allowed here only.
    at_start: bool,
    /// What the last item was, for Python's "nothing to repeat" and
    /// "multiple repeat" errors.
    last: Last,
    prefers_empty: bool,
}

/// What the items read so far in the current group can match: enough to
/// see a repeated group that can match the empty string.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// Every item of this branch before the last can match "".
    branch_empty: bool,
    /// The last item can match "" (true before the first item).
    last_empty: bool,
    /// The last item holds a capturing group.
    last_captures: bool,
    /// An earlier branch (before a `|`) can match "".
    earlier_branch_empty: bool,
    /// The group holds a capturing group, or is one.
    captures: bool,
}

impl Shape {
    fn new(captures: bool) -> Shape {
        Shape {
            branch_empty: true,
            last_empty: true,
            last_captures: false,
            earlier_branch_empty: false,
            captures,
        }
    }

    fn item(&mut self, empty: bool, captures: bool) {
        self.branch_empty &= self.last_empty;
        self.last_empty = empty;
        self.last_captures = captures;
        self.captures |= captures;
    }

    fn can_be_empty(&self) -> bool {
        self.earlier_branch_empty || (self.branch_empty && self.last_empty)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Last {
    Nothing,
    Atom,
    Quantifier,
}

// ANCHOR: translate
fn translate(pattern: &str, text: &str) -> Result<Translation, Error> {
    let mut t = Translator {
        pattern: pattern.chars().collect(),
        at: 0,
        text,
        rust: String::new(),
        flags: Flags::default(),
        open: Vec::new(),
        shape: Shape::new(false),
        groups: 0,
        at_start: true,
        last: Last::Nothing,
        prefers_empty: false,
    };
    while let Some(c) = t.next() {
        if t.flags.verbose && c.is_whitespace() {
            continue;
        }
        if t.flags.verbose && c == '#' {
            while t.next().is_some_and(|c| c != '\n') {}
            continue;
        }
        if c != '(' {
            t.at_start = false;
        }
        match c {
            '(' => t.group()?,
            ')' => t.close_group()?,
            '|' => {
                t.rust.push('|');
                t.prefers_empty = true;
                let shape = &mut t.shape;
                shape.earlier_branch_empty = shape.can_be_empty();
                (shape.branch_empty, shape.last_empty) = (true, true);
                t.last = Last::Nothing;
            }
            '[' => t.class()?,
            '.' if t.flags.dot_all => t.atom("(?s:.)"),
            '.' => t.atom("[^\\n]"),
            '^' if t.flags.multi_line => t.anchor("(?m:^)"),
            '^' => t.anchor("\\A"),
            '$' => t.dollar()?,
            '*' => t.quantifier("*", 0, None)?,
            '+' => t.quantifier("+", 1, None)?,
            '?' => t.quantifier("?", 0, Some(1))?,
            '{' => t.braces()?,
            '\\' => t.escape()?,
            other => t.literal(other),
        }
    }
    if !t.open.is_empty() {
        return Err(Invalid("missing ), unterminated subpattern".into()));
    }
    Ok(Translation {
        rust: t.rust,
        prefers_empty: t.prefers_empty,
    })
}
// ANCHOR_END: translate

impl Translator<'_> {
    fn next(&mut self) -> Option<char> {
        let c = self.pattern.get(self.at).copied();
        self.at += usize::from(c.is_some());
        c
    }

    fn peek(&self) -> Option<char> {
        self.pattern.get(self.at).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        self.at += usize::from(found);
        found
    }

    fn atom(&mut self, rust: &str) {
        self.rust.push_str(rust);
        self.shape.item(false, false);
        self.last = Last::Atom;
    }

    fn anchor(&mut self, rust: &str) {
        self.rust.push_str(rust);
        self.shape.item(true, false);
        self.last = Last::Nothing; // Python: "nothing to repeat"
    }

    // ANCHOR: literal
    /// One character, written so that no character can be special: `\x{…}`
    /// for anything but ASCII letters and digits.
    fn literal(&mut self, c: char) {
        let rust = if self.flags.ascii && self.flags.ignore_case {
            // re.ASCII | re.IGNORECASE folds ASCII letters only: K does
            // not match the Kelvin sign, é does not match É.
            let mut class = vec![(c, c)];
            add_ascii_case(&mut class);
            format!("(?-i:[{}])", class_body(&class))
        } else {
            escape_char(c)
        };
        self.atom(&rust);
    }
    // ANCHOR_END: literal

    // ANCHOR: dollar
    /// Python's `$` matches at the end *and* just before a newline that
    /// ends the text. The regex crate's `$` matches only at the end, and it
    /// has no look-ahead to say "before a final newline". Where the text
    /// has no newline, or only a final one, an equivalent exists.
    fn dollar(&mut self) -> Result<(), Error> {
        if self.flags.multi_line {
            self.anchor("(?m:$)");
        } else if !self.text.contains('\n') {
            self.anchor("\\z");
        } else if self.text.find('\n') == Some(self.text.len() - 1) {
            self.anchor("(?m:$)"); // the only newline is the last character
        } else {
            return Err(Unsupported(
                "`$` before a final newline, in a text with other newlines \
                 (Python's `$` also matches just before a trailing \\n; the \
                 regex crate would need look-ahead)"
                    .into(),
            ));
        }
        Ok(())
    }
    // ANCHOR_END: dollar

    /// `*`, `+`, `?` or a `{m,n}` already in Rust syntax, then a lazy `?`
    /// or Python 3.11's possessive `+`.
    fn quantifier(
        &mut self,
        rust: &str,
        min: u32,
        max: Option<u32>,
    ) -> Result<(), Error> {
        match self.last {
            Last::Nothing => return Err(Invalid("nothing to repeat".into())),
            Last::Quantifier => return Err(Invalid("multiple repeat".into())),
            Last::Atom => {}
        }
        if self.shape.last_empty
            && self.shape.last_captures
            && max.is_none_or(|max| max > 1)
        {
            // (a?)* on "aa": Python ends with one more, empty, pass through
            // the group and reports group 1 as ""; the regex crate stops
            // before it and reports "a".
            return Err(Unsupported(format!(
                "a group that can match the empty string and holds a capture, \
                 repeated with {rust} (Python reports the capture of a final \
                 empty pass, the regex crate the last non-empty one)"
            )));
        }
        if min == 0 {
            self.shape.last_empty = true;
        }
        self.rust.push_str(rust);
        if self.eat('?') {
            self.rust.push('?');
            self.prefers_empty = true;
        } else if self.eat('+') {
            return Err(Unsupported(format!(
                "possessive quantifier {rust}+ (it gives back nothing to \
                 backtracking; the regex crate does not backtrack)"
            )));
        }
        self.last = Last::Quantifier;
        Ok(())
    }

    /// `{m}`, `{m,}`, `{,n}`, `{m,n}`, `{,}`; anything else is a literal
    /// `{`, as in Python.
    fn braces(&mut self) -> Result<(), Error> {
        let here = self.at;
        let digits = |t: &mut Self| {
            let mut n = String::new();
            while let Some(d) = t.peek().filter(char::is_ascii_digit) {
                n.push(d);
                t.at += 1;
            }
            n
        };
        let low = digits(self);
        let (comma, high) = if self.eat(',') {
            (true, digits(self))
        } else {
            (false, low.clone())
        };
        if (low.is_empty() && !comma) || !self.eat('}') {
            self.at = here;
            self.literal('{');
            return Ok(());
        }
        let parse = |n: &str| {
            n.parse::<u32>()
                .map_err(|_| Invalid("the repeat count is too big".into()))
        };
        let low = if low.is_empty() { 0 } else { parse(&low)? };
        if high.is_empty() {
            return self.quantifier(&format!("{{{low},}}"), low, None);
        }
        let high = parse(&high)?;
        if high < low {
            return Err(Invalid("min repeat greater than max repeat".into()));
        }
        let rust = if comma {
            format!("{{{low},{high}}}")
        } else {
            format!("{{{low}}}")
        };
        self.quantifier(&rust, low, Some(high))
    }

    // ANCHOR: group
    /// After `(`: a group, Python's extensions, or inline flags.
    fn group(&mut self) -> Result<(), Error> {
        if !self.eat('?') {
            self.at_start = false;
            self.open_group("(".into());
            return Ok(());
        }
        let was_at_start = std::mem::replace(&mut self.at_start, false);
        match self.next() {
            Some(':') => self.open_group("(?:".into()),
            Some('P') if self.eat('<') => {
                let name = self.until('>')?;
                let mut chars = name.chars();
                let identifier =
                    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
                        && chars.all(|c| c == '_' || c.is_alphanumeric());
                if !identifier {
                    return Err(Invalid(format!(
                        "bad character in group name {name:?}"
                    )));
                }
                self.open_group(format!("(?P<{name}>"));
            }
            Some('P') if self.eat('=') => {
                return Err(Unsupported("back-reference (?P=name)".into()));
            }
            Some('=') | Some('!') => {
                return Err(Unsupported("look-ahead (?=…) or (?!…)".into()));
            }
            Some('<') if matches!(self.peek(), Some('=') | Some('!')) => {
                let what = "look-behind (?<=…) or (?<!…)";
                return Err(Unsupported(what.into()));
            }
            Some('>') => return Err(Unsupported("atomic group (?>…)".into())),
            Some('(') => {
                return Err(Unsupported(
                    "conditional group (?(id)yes|no)".into(),
                ));
            }
            Some('#') => {
                self.until(')')?; // a comment: nothing to translate
                self.at_start = was_at_start;
            }
            Some(c) if "aiLmsux-".contains(c) => {
                self.at -= 1;
                self.inline_flags(was_at_start)?;
            }
            _ => return Err(Invalid("unknown extension".into())),
        }
        Ok(())
    }
    // ANCHOR_END: group

    fn open_group(&mut self, rust: String) {
        let capturing = !rust.starts_with("(?:")
            && !rust.starts_with("(?i:")
            && !rust.starts_with("(?-i:");
        if capturing {
            self.groups += 1;
        }
        self.rust.push_str(&rust);
        self.open.push((self.flags, self.shape));
        self.shape = Shape::new(capturing);
        self.last = Last::Nothing;
    }

    fn close_group(&mut self) -> Result<(), Error> {
        let inner = self.shape;
        (self.flags, self.shape) = self
            .open
            .pop()
            .ok_or_else(|| Invalid("unbalanced parenthesis".into()))?;
        self.rust.push(')');
        self.shape.item(inner.can_be_empty(), inner.captures);
        self.last = Last::Atom;
        Ok(())
    }

    /// Characters up to `end`, which is consumed.
    fn until(&mut self, end: char) -> Result<String, Error> {
        let mut text = String::new();
        loop {
            match self.next() {
                Some(c) if c == end => return Ok(text),
                Some(c) => text.push(c),
                None => return Err(Invalid(format!("missing {end}"))),
            }
        }
    }

    /// `(?aimsux)` at the start of the pattern, or `(?aimsux-imsx:…)`.
    /// Only case folding is left to the regex crate: `.`, `^`, `$` and the
    /// classes are written out for the flags in force, and the verbose flag
    /// is handled while reading.
    fn inline_flags(&mut self, at_start: bool) -> Result<(), Error> {
        let mut flags = self.flags;
        let mut on = true;
        let (mut case_on, mut case_off) = (false, false);
        loop {
            let c = self
                .next()
                .ok_or_else(|| Invalid("missing -, : or )".into()))?;
            match c {
                '-' if on => on = false,
                'i' => {
                    flags.ignore_case = on;
                    (case_on, case_off) = (on, !on);
                }
                'm' => flags.multi_line = on,
                's' => flags.dot_all = on,
                'x' => flags.verbose = on,
                'a' if on => flags.ascii = true,
                'u' if on => flags.ascii = false,
                'L' => {
                    return Err(Invalid(
                        "cannot use 'L' flag with a str pattern".into(),
                    ));
                }
                ')' if on => {
                    if !at_start {
                        return Err(Invalid(
                            "global flags not at the start of the expression"
                                .into(),
                        ));
                    }
                    self.flags = flags;
                    self.at_start = true;
                    if case_on {
                        self.rust.push_str("(?i)");
                    }
                    return Ok(());
                }
                ':' => {
                    let rust = match (case_on, case_off) {
                        (true, _) => "(?i:",
                        (_, true) => "(?-i:",
                        _ => "(?:",
                    };
                    self.open_group(rust.into());
                    self.flags = flags;
                    return Ok(());
                }
                _ => return Err(Invalid(format!("unknown flag {c:?}"))),
            }
        }
    }

    // ANCHOR: escape
    /// After `\` outside a class.
    fn escape(&mut self) -> Result<(), Error> {
        let c = self
            .next()
            .ok_or_else(|| Invalid("bad escape (end of pattern)".into()))?;
        match c {
            'A' => self.anchor("\\A"),
            'Z' => self.anchor("\\z"), // Python's \Z is the regex crate's \z
            'b' | 'B' => self.boundary(c)?,
            'd' | 'D' | 'w' | 'W' | 's' | 'S' => {
                let class = self.class_escape(c);
                let rust = if self.flags.ascii && self.flags.ignore_case {
                    format!("(?-i:[{class}])")
                } else {
                    format!("[{class}]")
                };
                self.atom(&rust);
            }
            '1'..='9' if !self.octal_follows() => {
                // \1 to \99: a back-reference, if that group exists.
                let mut number = c.to_digit(10).unwrap() as usize;
                if let Some(d) = self.peek().and_then(|d| d.to_digit(10)) {
                    self.at += 1;
                    number = number * 10 + d as usize;
                }
                return Err(if number <= self.groups {
                    Unsupported(format!("back-reference \\{number}"))
                } else {
                    Invalid(format!("invalid group reference {number}"))
                });
            }
            'N' => return Err(Unsupported("named character \\N{…}".into())),
            _ => {
                let c = self.char_escape(c, false)?;
                self.literal(c);
            }
        }
        Ok(())
    }
    // ANCHOR_END: escape

    /// After `\` + a digit 1–7: do two more octal digits follow?
    fn octal_follows(&self) -> bool {
        let octal = |i: usize| {
            self.pattern.get(i).is_some_and(|c| ('0'..='7').contains(c))
        };
        octal(self.at - 1) && octal(self.at) && octal(self.at + 1)
    }

    // ANCHOR: boundary
    /// `\b` and `\B` are defined by `\w`, and the two `\w`s differ. Where
    /// the text holds a character they disagree on, no translation is
    /// faithful, so refuse.
    fn boundary(&mut self, c: char) -> Result<(), Error> {
        if self.flags.ascii {
            self.anchor(if c == 'b' { "(?-u:\\b)" } else { "(?-u:\\B)" });
            return Ok(());
        }
        static PYTHON_WORD: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"[\p{L}\p{N}_]").expect("valid"));
        static RUST_WORD: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\w").expect("valid"));
        let mut buf = [0; 4];
        for ch in self.text.chars() {
            let one = ch.encode_utf8(&mut buf);
            if PYTHON_WORD.is_match(one) != RUST_WORD.is_match(one) {
                return Err(Unsupported(format!(
                    "\\{c} next to {ch:?} (U+{:04X}), which Python's \\w \
                     and the regex crate's \\w classify differently",
                    ch as u32
                )));
            }
        }
        if c == 'B' && self.text.is_empty() {
            // Python before 3.14: \B never matches in an empty string.
            self.anchor("[^\\s\\S]");
        } else {
            self.anchor(if c == 'b' { "\\b" } else { "\\B" });
        }
        Ok(())
    }
    // ANCHOR_END: boundary

    // ANCHOR: class_escape
    /// The inside of a Rust class for Python's `\d \D \w \W \s \S`.
    fn class_escape(&self, c: char) -> &'static str {
        match (c, self.flags.ascii) {
            ('d', false) => r"\p{Nd}",
            ('D', false) => r"\P{Nd}",
            // Python: str.isalnum() or "_", exactly letters, numbers, "_".
            ('w', false) => r"\p{L}\p{N}_",
            ('W', false) => r"[^\p{L}\p{N}_]",
            // Python: str.isspace(), which adds \x1c-\x1f to White_Space.
            ('s', false) => r"\s\x1c-\x1f",
            ('S', false) => r"[^\s\x1c-\x1f]",
            ('d', true) => "0-9",
            ('D', true) => "[^0-9]",
            ('w', true) => "0-9A-Za-z_",
            ('W', true) => "[^0-9A-Za-z_]",
            ('s', true) => r"\t-\r ",
            ('S', true) => r"[^\t-\r ]",
            _ => unreachable!("not a class escape: {c}"),
        }
    }
    // ANCHOR_END: class_escape

    /// A character escape (`\n`, `\x41`, `\u00e9`, `\0`, `\101`, `\.`),
    /// after the `\`. Inside a class, `\b` is a backspace.
    fn char_escape(&mut self, c: char, in_class: bool) -> Result<char, Error> {
        let hex = |t: &mut Self, len: usize| {
            let digits: String = (0..len).filter_map(|_| t.next()).collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .filter(|_| {
                    digits.len() == len
                        && digits.chars().all(|d| d.is_ascii_hexdigit())
                })
                .and_then(char::from_u32)
                .ok_or_else(|| {
                    Invalid(format!("incomplete escape \\{c}{digits}"))
                })
        };
        Ok(match c {
            'a' => '\x07',
            'b' if in_class => '\x08',
            'f' => '\x0c',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\x0b',
            'x' => hex(self, 2)?,
            'u' => hex(self, 4)?,
            'U' => hex(self, 8)?,
            '0'..='7' => {
                // Outside a class \1-\7 get here only with two octal digits
                // more; \0 takes up to two.
                let mut value = c.to_digit(8).unwrap();
                for _ in 0..2 {
                    match self.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            self.at += 1;
                        }
                        None => break,
                    }
                }
                if value > 0o377 {
                    return Err(Invalid(
                        "octal escape value outside of range 0-0o377".into(),
                    ));
                }
                char::from_u32(value).unwrap()
            }
            c if c.is_ascii_alphanumeric() => {
                return Err(Invalid(format!("bad escape \\{c}")));
            }
            other => other, // \. \* \\ \- \  …: the character itself
        })
    }

    // ANCHOR: class
    /// After `[`: a Python class, written out member by member, so that
    /// nothing in it (`[`, `&&`, `--`, `~~`) can mean anything to Rust.
    fn class(&mut self) -> Result<(), Error> {
        let negated = self.eat('^');
        let mut ranges: Vec<(char, char)> = Vec::new();
        let mut escapes = String::new();
        let mut first = true;
        loop {
            let c = self
                .next()
                .ok_or_else(|| Invalid("unterminated character set".into()))?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let low = match c {
                '\\' => {
                    let e = self.next().ok_or_else(|| {
                        Invalid("bad escape (end of pattern)".into())
                    })?;
                    if "dDwWsS".contains(e) {
                        escapes.push_str(self.class_escape(e));
                        continue;
                    }
                    if matches!(e, 'A' | 'Z' | 'B' | 'N' | '8' | '9') {
                        return Err(Invalid(format!(
                            "bad escape \\{e} in a class"
                        )));
                    }
                    self.char_escape(e, true)?
                }
                c => c,
            };
            // A range `a-z`; a `-` first or last is itself.
            if self.peek() == Some('-')
                && self.pattern.get(self.at + 1) != Some(&']')
            {
                self.at += 1;
                let high = match self.next() {
                    Some('\\') => {
                        let e = self
                            .next()
                            .ok_or_else(|| Invalid("bad escape".into()))?;
                        if "dDwWsSABZN89".contains(e) {
                            return Err(Invalid("bad character range".into()));
                        }
                        self.char_escape(e, true)?
                    }
                    Some(c) => c,
                    None => {
                        return Err(Invalid(
                            "unterminated character set".into(),
                        ));
                    }
                };
                if high < low {
                    return Err(Invalid(format!(
                        "bad character range {low}-{high}"
                    )));
                }
                ranges.push((low, high));
            } else {
                ranges.push((low, low));
            }
        }
        let ascii_fold = self.flags.ascii && self.flags.ignore_case;
        if ascii_fold {
            add_ascii_case(&mut ranges);
        }
        let class = format!(
            "[{}{}{escapes}]",
            if negated { "^" } else { "" },
            class_body(&ranges)
        );
        self.atom(&if ascii_fold {
            format!("(?-i:{class})")
        } else {
            class
        });
        Ok(())
    }
    // ANCHOR_END: class
}

/// `c` as regex crate syntax that means only `c`, in a class or out of one.
fn escape_char(c: char) -> String {
    if c.is_ascii_alphanumeric() {
        c.to_string()
    } else {
        format!("\\x{{{:X}}}", c as u32)
    }
}

fn class_body(ranges: &[(char, char)]) -> String {
    ranges
        .iter()
        .map(|&(low, high)| {
            if low == high {
                escape_char(low)
            } else {
                format!("{}-{}", escape_char(low), escape_char(high))
            }
        })
        .collect()
}

/// Adds the other case of every ASCII letter in `ranges`.
fn add_ascii_case(ranges: &mut Vec<(char, char)>) {
    let letters: Vec<char> = ('A'..='Z')
        .chain('a'..='z')
        .filter(|&c| {
            ranges.iter().any(|&(low, high)| (low..=high).contains(&c))
        })
        .collect();
    for c in letters {
        let other = if c.is_ascii_uppercase() {
            c.to_ascii_lowercase()
        } else {
            c.to_ascii_uppercase()
        };
        ranges.push((other, other));
    }
}

// ANCHOR: matches
/// Every match, in Python's order (3.7 and later). Two differences from
/// the regex crate's `captures_iter`:
///
/// - after a non-empty match, Python allows an empty match right where it
///   ended (`re.sub('x*', '-', 'abxd')` is `-a-b--d-`; the regex crate
///   skips that one and gives `-a-b-d-`);
/// - after an empty match, Python tries the same place again for a
///   *non-empty* match before moving on. With a lazy quantifier or an
///   alternation (`a??`, `|a`) one can exist, and finding it needs
///   backtracking, so then we refuse rather than guess.
fn matches<'h>(
    regex: &Regex,
    text: &'h str,
    prefers_empty: bool,
) -> Result<Vec<Captures<'h>>, Error> {
    let mut found = Vec::new();
    let mut start = 0;
    while let Some(caps) = regex.captures_at(text, start) {
        let whole = caps.get(0).expect("group 0 is the whole match");
        let (begin, end) = (whole.start(), whole.end());
        found.push(caps);
        if begin < end {
            start = end;
            continue;
        }
        let Some(next) = text[end..].chars().next() else {
            break; // an empty match at the end of the text is the last
        };
        if prefers_empty {
            return Err(Unsupported(format!(
                "an empty match at offset {end} with a lazy quantifier or an \
                 alternation (Python retries there for a non-empty match, \
                 which needs backtracking)"
            )));
        }
        start = end + next.len_utf8();
    }
    Ok(found)
}
// ANCHOR_END: matches

// ANCHOR: replacement
/// A Python replacement (`\1`, `\g<name>`, `\g<0>`, `\n`, `\\`) in the
/// regex crate's syntax (`${1}`, `$$` for a dollar sign). Always `${N}`,
/// never `$N`: the regex crate reads `$1a` as a group named `1a`.
fn replacement(python: &str, regex: &Regex) -> Result<String, Error> {
    let groups = regex.captures_len() - 1;
    let group = |index: usize| {
        if index > groups {
            Err(Invalid(format!("invalid group reference {index}")))
        } else {
            Ok(format!("${{{index}}}"))
        }
    };
    let mut rust = String::new();
    let mut chars = python.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            rust.push_str("$$");
            continue;
        }
        if c != '\\' {
            rust.push(c);
            continue;
        }
        let escaped = chars
            .next()
            .ok_or_else(|| Invalid("bad escape (end of pattern)".into()))?;
        let mut digit = || chars.next_if(char::is_ascii_digit);
        match escaped {
            'g' => {
                if chars.next() != Some('<') {
                    return Err(Invalid("missing <".into()));
                }
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('>') => break,
                        Some(c) => name.push(c),
                        None => {
                            return Err(Invalid(
                                "missing >, unterminated name".into(),
                            ));
                        }
                    }
                }
                let name = name.as_str();
                let index = match name.parse::<usize>() {
                    Ok(index) if name.chars().all(|c| c.is_ascii_digit()) => {
                        index
                    }
                    _ => regex
                        .capture_names()
                        .position(|n| n == Some(name))
                        .ok_or_else(|| {
                            Invalid(format!("unknown group name {name:?}"))
                        })?,
                };
                rust.push_str(&group(index)?);
            }
            '0' => {
                // \0, \01, \012: an octal character code.
                let mut value = 0;
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                rust.push(char::from_u32(value).unwrap());
            }
            '1'..='9' => {
                // \1 to \99 is a group; three octal digits are a character.
                let mut digits = escaped.to_string();
                if let Some(d) = digit() {
                    digits.push(d);
                    let octal =
                        |s: &str| s.chars().all(|c| ('0'..='7').contains(&c));
                    if octal(&digits)
                        && chars.peek().is_some_and(|c| ('0'..='7').contains(c))
                    {
                        digits.push(chars.next().unwrap());
                        let value = u32::from_str_radix(&digits, 8).unwrap();
                        if value > 0o377 {
                            return Err(Invalid(format!(
                                "octal escape \\{digits} is over 0o377"
                            )));
                        }
                        rust.push(char::from_u32(value).unwrap());
                        continue;
                    }
                }
                rust.push_str(&group(digits.parse().unwrap())?);
            }
            'a' => rust.push('\x07'),
            'b' => rust.push('\x08'),
            'f' => rust.push('\x0c'),
            'n' => rust.push('\n'),
            'r' => rust.push('\r'),
            't' => rust.push('\t'),
            'v' => rust.push('\x0b'),
            '\\' => rust.push('\\'),
            c if c.is_ascii_alphabetic() => {
                return Err(Invalid(format!("bad escape \\{c}")));
            }
            // Python keeps an unknown escape as it is: r"\-" stays \-.
            '$' => rust.push_str("\\$$"),
            other => {
                rust.push('\\');
                rust.push(other);
            }
        }
    }
    Ok(rust)
}
// ANCHOR_END: replacement

// ANCHOR: json
/// A string as Python's `json.dumps(s, ensure_ascii=False)` writes it.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            c if c < ' ' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A list as `json.dumps` writes it: `["a", "b"]`; `None` is `null`.
fn json_list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}

fn json_option(item: Option<&str>) -> String {
    item.map_or("null".to_owned(), json_string)
}
// ANCHOR_END: json

// ANCHOR: functions
/// `re.findall`: the whole matches with no group, group 1's text with
/// one, a tuple per match with more (an unmatched group gives "").
fn findall(regex: &Regex, caps: &[Captures]) -> String {
    let text = |caps: &Captures, i: usize| {
        json_string(caps.get(i).map_or("", |m| m.as_str()))
    };
    json_list(caps.iter().map(|caps| match regex.captures_len() - 1 {
        0 => text(caps, 0),
        1 => text(caps, 1),
        n => json_list((1..=n).map(|i| text(caps, i))),
    }))
}

/// `re.split`: the pieces between matches, and after each match the
/// text of every group in it (`None` for a group that did not take part).
fn split(text: &str, caps: &[Captures]) -> String {
    let mut pieces = Vec::new();
    let mut last = 0;
    for caps in caps {
        let whole = caps.get(0).expect("group 0 is the whole match");
        pieces.push(json_string(&text[last..whole.start()]));
        pieces.extend(
            caps.iter()
                .skip(1)
                .map(|g| json_option(g.map(|m| m.as_str()))),
        );
        last = whole.end();
    }
    pieces.push(json_string(&text[last..]));
    json_list(pieces)
}

/// `re.sub`: every match replaced, expanded from the Rust replacement.
fn sub(text: &str, caps: &[Captures], rust_replacement: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for caps in caps {
        let whole = caps.get(0).expect("group 0 is the whole match");
        out.push_str(&text[last..whole.start()]);
        caps.expand(rust_replacement, &mut out);
        last = whole.end();
    }
    out.push_str(&text[last..]);
    json_string(&out)
}
// ANCHOR_END: functions

// ANCHOR: run
fn run(args: &[String]) -> Result<String, Error> {
    let (function, pattern, replacement_arg, text) = match args {
        [f, p, t] if f != "sub" => (f.as_str(), p, None, t.as_str()),
        [f, p] if f == "translate" => (f.as_str(), p, None, ""),
        [f, p, r, t] if f == "sub" => (f.as_str(), p, Some(r), t.as_str()),
        _ => {
            return Err(Unsupported(
                "usage: py_re findall|split PATTERN TEXT \
                 | sub PATTERN REPL TEXT | translate PATTERN [TEXT]"
                    .into(),
            ));
        }
    };
    let translation = translate(pattern, text)?;
    // The regex crate may still refuse, say for its size limit.
    let regex = Regex::new(&translation.rust)
        .map_err(|err| Unsupported(err.to_string()))?;
    // Python checks the replacement before it looks for a match.
    let rust_replacement = match replacement_arg {
        Some(python) => Some(replacement(python, &regex)?),
        None => None,
    };
    if function == "translate" {
        return Ok(translation.rust);
    }
    let caps = matches(&regex, text, translation.prefers_empty)?;
    match (function, rust_replacement) {
        ("findall", _) => Ok(findall(&regex, &caps)),
        ("split", _) => Ok(split(text, &caps)),
        ("sub", Some(rust_replacement)) => {
            Ok(sub(text, &caps, &rust_replacement))
        }
        _ => Err(Unsupported(format!(
            "no function {function:?}: findall, split or sub"
        ))),
    }
}

fn main() -> ExitCode {
    let args: Result<Vec<String>, _> =
        env::args_os().skip(1).map(|a| a.into_string()).collect();
    let Ok(args) = args else {
        eprintln!("py_re: arguments must be UTF-8");
        return ExitCode::from(2);
    };
    match run(&args) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(Invalid(why)) => {
            eprintln!("py_re: Python rejects this too: {why}");
            ExitCode::from(1)
        }
        Err(Unsupported(why)) => {
            eprintln!("py_re: the regex crate cannot do this: {why}");
            ExitCode::from(2)
        }
    }
}
// ANCHOR_END: run
