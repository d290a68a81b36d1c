//! Exercise 13.2: `sed s///` with Python's replacement syntax (a solution).

use std::env;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use regex::{Regex, RegexBuilder};

/// A parsed `s/PATTERN/REPLACEMENT/FLAGS`.
struct Script {
    regex: Regex,
    /// The replacement in the regex crate's syntax.
    replacement: String,
    global: bool,
}

/// Splits the script at unescaped delimiters; `\` + delimiter becomes the
/// delimiter.
fn parse_script(script: &str) -> Result<Script, String> {
    let mut chars = script.chars();
    if chars.next() != Some('s') {
        return Err(format!("not an s/// command: {script:?}"));
    }
    let delimiter = match chars.next() {
        Some(c) if c != '\\' && c != '\n' => c,
        _ => return Err("a delimiter must follow s".into()),
    };
    let mut parts = vec![String::new()];
    while let Some(c) = chars.next() {
        let part = parts.last_mut().expect("never empty");
        if c == '\\' {
            match chars.next() {
                Some(next) if next == delimiter => part.push(delimiter),
                Some(next) => {
                    part.push('\\');
                    part.push(next);
                }
                None => part.push('\\'),
            }
        } else if c == delimiter {
            parts.push(String::new());
        } else {
            part.push(c);
        }
    }
    let [pattern, python, flags] = parts.as_slice() else {
        return Err(format!(
            "expected s{delimiter}PATTERN{delimiter}REPLACEMENT{delimiter}FLAGS"
        ));
    };
    let (mut global, mut ignore_case) = (false, false);
    for flag in flags.chars() {
        match flag {
            'g' => global = true,
            'i' => ignore_case = true,
            other => return Err(format!("unknown flag {other:?}")),
        }
    }
    let regex = RegexBuilder::new(pattern)
        .case_insensitive(ignore_case)
        .build()
        .map_err(|err| err.to_string())?;
    let replacement = translate(python, &regex)?;
    Ok(Script {
        regex,
        replacement,
        global,
    })
}

/// Python's replacement syntax in the regex crate's: `\1` is `${1}` (never
/// `$1`, which would read `\1a` as a group named `1a`), `$` is `$$`.
fn translate(python: &str, regex: &Regex) -> Result<String, String> {
    let group = |name: &str| -> Result<String, String> {
        let known = match name.parse::<usize>() {
            Ok(index) => index < regex.captures_len(),
            Err(_) => regex.capture_names().any(|n| n == Some(name)),
        };
        if known {
            Ok(format!("${{{name}}}"))
        } else {
            Err(format!("invalid group reference {name}"))
        }
    };
    let mut rust = String::new();
    let mut chars = python.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' => rust.push_str("$$"),
            '\\' => match chars.next() {
                Some(d @ '1'..='9') => {
                    let mut number = d.to_string();
                    if let Some(e) = chars.next_if(char::is_ascii_digit) {
                        number.push(e);
                    }
                    rust.push_str(&group(&number)?);
                }
                Some('g') => {
                    if chars.next() != Some('<') {
                        return Err("missing < after \\g".into());
                    }
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('>') => break,
                            Some(c) => name.push(c),
                            None => return Err("missing > after \\g<".into()),
                        }
                    }
                    rust.push_str(&group(&name)?);
                }
                Some('\\') => rust.push('\\'),
                Some('n') => rust.push('\n'),
                Some('t') => rust.push('\t'),
                Some(c) if c.is_ascii_alphabetic() => {
                    return Err(format!("bad escape \\{c}"));
                }
                Some('$') => rust.push_str("\\$$"),
                Some(c) => {
                    rust.push('\\');
                    rust.push(c);
                }
                None => return Err("a lone backslash at the end".into()),
            },
            c => rust.push(c),
        }
    }
    Ok(rust)
}

/// What stopped the editing of one input.
enum Failure {
    Read(io::Error),
    Write(io::Error),
}

/// Applies the script to every line of `input`.
fn edit(
    script: &Script,
    mut input: impl BufRead,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let limit = if script.global { 0 } else { 1 }; // 0: every match
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line).map_err(Failure::Read)? == 0 {
            return Ok(());
        }
        let (text, newline) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line.as_str(), ""),
        };
        let edited =
            script
                .regex
                .replacen(text, limit, script.replacement.as_str());
        write!(out, "{edited}{newline}").map_err(Failure::Write)?;
    }
}

/// "No such file or directory", without Rust's " (os error 2)".
fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    text.split(" (os error").next().unwrap_or(&text).to_owned()
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let Some((script, files)) = args.split_first() else {
        eprintln!("usage: sed_s SCRIPT [FILE]...");
        return ExitCode::from(1);
    };
    let script = match parse_script(script) {
        Ok(script) => script,
        Err(why) => {
            eprintln!("sed_s: {why}");
            return ExitCode::from(1);
        }
    };
    let stdin = ["-".to_owned()];
    let files = if files.is_empty() { &stdin[..] } else { files };
    let mut out = BufWriter::new(io::stdout().lock());
    let mut status = ExitCode::SUCCESS;
    for file in files {
        let result = if file == "-" {
            edit(&script, io::stdin().lock(), &mut out)
        } else {
            File::open(file)
                .map_err(Failure::Read)
                .and_then(|f| edit(&script, BufReader::new(f), &mut out))
        };
        match result {
            Ok(()) => {}
            Err(Failure::Read(err)) => {
                let _ = out.flush(); // what came before, first
                eprintln!("sed_s: {file}: {}", describe(&err));
                status = ExitCode::from(2);
            }
            Err(Failure::Write(err)) => {
                eprintln!("sed_s: write error: {}", describe(&err));
                return ExitCode::from(4);
            }
        }
    }
    if let Err(err) = out.flush() {
        eprintln!("sed_s: write error: {}", describe(&err));
        return ExitCode::from(4);
    }
    status
}
