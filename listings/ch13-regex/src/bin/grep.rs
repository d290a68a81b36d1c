//! A small grep: `grep [-icnv] PATTERN [FILE]...`
//!
//! Prints the lines of each FILE (standard input for none, or for `-`)
//! that match PATTERN, a regex crate pattern. Lines are bytes, not text, so
//! a log or a file in Latin-1 is searched as it is. Exit status: 0 if a
//! line was selected, 1 if none was, 2 if an error occurred (as GNU grep).

use std::env;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::process::ExitCode;

use regex::bytes::{Regex, RegexBuilder};

// ANCHOR: options
#[derive(Default)]
struct Options {
    ignore_case: bool,
    line_number: bool,
    count: bool,
    invert: bool,
}

/// Options may come before or after the pattern and the files, as with GNU
/// grep; `--` ends them. File names are `OsString`s: on Linux a name is
/// any bytes, and need not be UTF-8.
fn parse_args(
    args: Vec<OsString>,
) -> Result<(Options, String, Vec<OsString>), String> {
    let mut options = Options::default();
    let mut operands = Vec::new();
    let mut only_operands = false;
    for arg in args {
        let bytes = arg.as_bytes();
        if only_operands || bytes == b"-" || !bytes.starts_with(b"-") {
            operands.push(arg);
            continue;
        }
        if bytes == b"--" {
            only_operands = true;
            continue;
        }
        for &flag in &bytes[1..] {
            match flag {
                b'i' => options.ignore_case = true,
                b'n' => options.line_number = true,
                b'c' => options.count = true,
                b'v' => options.invert = true,
                other => {
                    return Err(format!(
                        "invalid option -- '{}'",
                        other.escape_ascii()
                    ));
                }
            }
        }
    }
    if operands.is_empty() {
        return Err("no pattern".into());
    }
    let pattern = operands.remove(0).into_string();
    let pattern = pattern.map_err(|_| "the pattern is not UTF-8".to_owned())?;
    Ok((options, pattern, operands))
}
// ANCHOR_END: options

// ANCHOR: search
/// What stopped a search: a file we could not read, or an output we could
/// not write (then there is no point going on).
enum Failure {
    Read(io::Error),
    Write(io::Error),
}

/// Searches one input; returns how many lines were selected.
fn search(
    mut input: impl BufRead,
    label: Option<&[u8]>,
    regex: &Regex,
    options: &Options,
    out: &mut impl Write,
) -> Result<u64, Failure> {
    let mut line = Vec::new();
    let (mut number, mut selected) = (0u64, 0u64);
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line).map_err(Failure::Read)? == 0 {
            break;
        }
        number += 1;
        let content = line.strip_suffix(b"\n").unwrap_or(&line);
        if regex.is_match(content) == options.invert {
            continue;
        }
        selected += 1;
        if !options.count {
            print_line(
                out,
                label,
                options.line_number.then_some(number),
                content,
            )
            .map_err(Failure::Write)?;
        }
    }
    if options.count {
        let count = selected.to_string();
        print_line(out, label, None, count.as_bytes())
            .map_err(Failure::Write)?;
    }
    Ok(selected)
}

/// `file:number:line`, each prefix only where it applies. A last line
/// without a newline gets one, as in GNU grep.
fn print_line(
    out: &mut impl Write,
    label: Option<&[u8]>,
    number: Option<u64>,
    content: &[u8],
) -> io::Result<()> {
    if let Some(label) = label {
        out.write_all(label)?;
        out.write_all(b":")?;
    }
    if let Some(number) = number {
        write!(out, "{number}:")?;
    }
    out.write_all(content)?;
    out.write_all(b"\n")
}
// ANCHOR_END: search

// ANCHOR: main
fn main() -> ExitCode {
    let (options, pattern, mut files) =
        match parse_args(env::args_os().skip(1).collect()) {
            Ok(parsed) => parsed,
            Err(why) => {
                eprintln!("grep: {why}\nUsage: grep [-icnv] PATTERN [FILE]...");
                return ExitCode::from(2);
            }
        };
    let regex = match RegexBuilder::new(&pattern)
        .case_insensitive(options.ignore_case)
        .build()
    {
        Ok(regex) => regex,
        Err(err) => {
            eprintln!("grep: {err}");
            return ExitCode::from(2);
        }
    };
    if files.is_empty() {
        files.push("-".into());
    }
    let several = files.len() > 1;
    let mut out = BufWriter::new(io::stdout().lock());
    let (mut selected, mut failed) = (0, false);
    for file in &files {
        let stdin = file == "-";
        let name = if stdin {
            "(standard input)".as_ref()
        } else {
            file.as_bytes()
        };
        let label = several.then_some(name);
        let result = if stdin {
            search(io::stdin().lock(), label, &regex, &options, &mut out)
        } else {
            match File::open(file) {
                Ok(f) => {
                    search(BufReader::new(f), label, &regex, &options, &mut out)
                }
                Err(err) => Err(Failure::Read(err)),
            }
        };
        match result {
            Ok(n) => selected += n,
            Err(Failure::Read(err)) => {
                let _ = out.flush(); // what came before, first
                // The name as it is, bytes and all, as GNU grep prints it.
                let why = describe(&err);
                let message =
                    [b"grep: ", name, b": ", why.as_bytes(), b"\n"].concat();
                let _ = io::stderr().write_all(&message);
                failed = true;
            }
            Err(Failure::Write(err)) => {
                eprintln!("grep: write error: {}", describe(&err));
                return ExitCode::from(2);
            }
        }
    }
    if let Err(err) = out.flush() {
        eprintln!("grep: write error: {}", describe(&err));
        return ExitCode::from(2);
    }
    match (failed, selected) {
        (true, _) => ExitCode::from(2),
        (false, 0) => ExitCode::from(1),
        (false, _) => ExitCode::SUCCESS,
    }
}

/// "No such file or directory", without Rust's " (os error 2)".
fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}
// ANCHOR_END: main
