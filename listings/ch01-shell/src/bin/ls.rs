//! `ls`: list the names in directories, sorted byte by byte, one per line.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::io::{self, BufWriter, ErrorKind, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::ExitCode;

use ch01_shell::{Tool, describe, quote};

#[derive(Clone, Copy, PartialEq)]
enum Show {
    Visible,   // default: names that do not start with `.`
    AlmostAll, // -A: every name read_dir returns
    All,       // -a: those, plus `.` and `..`
}

// ANCHOR: main
fn main() -> ExitCode {
    // Exit status 2, not 1, when an operand cannot be listed: ls's rule.
    let mut tool = Tool::new("ls", 2);
    let usage = "[-aA] [FILE]...";
    let args = match tool.parse_args(env::args_os().skip(1), "aA", usage) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let show = match args.last_of("aA") {
        Some('a') => Show::All,
        Some('A') => Show::AlmostAll,
        _ => Show::Visible,
    };
    let mut operands = args.operands;
    if operands.is_empty() {
        operands.push(".".into());
    }
    match list(&mut tool, operands, show) {
        // The reader of our output is gone (`ls | head -1`): stop quietly,
        // as `cat` does. Rust ignores SIGPIPE, which would have killed us.
        Err(err) if err.kind() == ErrorKind::BrokenPipe => ExitCode::from(2),
        Err(err) => {
            tool.error(format_args!("write error: {}", describe(&err)));
            tool.exit_code()
        }
        Ok(()) => tool.exit_code(),
    }
}
// ANCHOR_END: main

// ANCHOR: list
/// Lists each operand like coreutils: first complain about the missing
/// ones, then print the operands that are not directories, then the
/// contents of each directory, under its name if there are several.
fn list(tool: &mut Tool, operands: Vec<OsString>, show: Show) -> io::Result<()> {
    let name_each_dir = operands.len() > 1;
    let (mut files, mut dirs) = (Vec::new(), Vec::new());
    for operand in operands {
        match fs::metadata(&operand) {
            Ok(meta) if meta.is_dir() => dirs.push(operand),
            Ok(_) => files.push(operand),
            Err(err) => tool.error(format_args!(
                "cannot access {}: {}",
                quote(&operand),
                describe(&err)
            )),
        }
    }
    files.sort();
    dirs.sort();
    // One write(2) per 8 KiB instead of one per line.
    let mut out = BufWriter::new(io::stdout().lock());
    for file in &files {
        print_name(&mut out, file)?;
    }
    for (index, dir) in dirs.iter().enumerate() {
        if index > 0 || !files.is_empty() {
            out.write_all(b"\n")?;
        }
        if name_each_dir {
            out.write_all(dir.as_bytes())?;
            out.write_all(b":\n")?;
        }
        match entries(Path::new(dir), show) {
            Ok(names) => {
                for name in &names {
                    print_name(&mut out, name)?;
                }
            }
            Err(err) => tool.error(format_args!(
                "cannot open directory {}: {}",
                quote(dir),
                describe(&err)
            )),
        }
    }
    out.flush()
}
// ANCHOR_END: list

// ANCHOR: entries
/// The names in `dir`, sorted by their bytes: the order `ls` uses under
/// `LC_ALL=C`. read_dir returns them in no useful order, and never returns
/// `.` or `..`.
fn entries(dir: &Path, show: Show) -> io::Result<Vec<OsString>> {
    let mut names = Vec::new();
    if show == Show::All {
        names.extend([".".into(), "..".into()]);
    }
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name();
        if show != Show::Visible || !name.as_bytes().starts_with(b".") {
            names.push(name);
        }
    }
    names.sort(); // OsString compares bytes on Unix
    Ok(names)
}
// ANCHOR_END: entries

/// A name is bytes: write them as they are, valid UTF-8 or not.
fn print_name(out: &mut impl Write, name: &OsString) -> io::Result<()> {
    out.write_all(name.as_bytes())?;
    out.write_all(b"\n")
}
