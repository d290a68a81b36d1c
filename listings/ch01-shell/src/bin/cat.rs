// ANCHOR: all
//! `cat`: copy each file, or standard input, to standard output.

use std::env;
use std::fs::File;
use std::io::{self, ErrorKind, Write};
use std::process::ExitCode;

use ch01_shell::{Tool, describe, quote_if_needed};

fn main() -> ExitCode {
    let mut tool = Tool::new("cat", 1);
    let usage = "[FILE]...";
    let args = match tool.parse_args(env::args_os().skip(1), "", usage) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let mut operands = args.operands;
    if operands.is_empty() {
        operands.push("-".into()); // no file: read standard input
    }
    let mut stdout = io::stdout().lock();
    for name in &operands {
        // io::copy reads a chunk and writes it until read returns 0 (end of
        // file): the file is never held in memory whole.
        let copied = if name == "-" {
            io::copy(&mut io::stdin().lock(), &mut stdout)
        } else {
            File::open(name).and_then(|mut file| io::copy(&mut file, &mut stdout))
        };
        let Err(err) = copied else { continue };
        if err.kind() == ErrorKind::BrokenPipe || is_write_error(&err) {
            return write_failed(&mut tool, &err);
        }
        let name = quote_if_needed(name);
        tool.error(format_args!("{name}: {}", describe(&err)));
    }
    // stdout writes at each newline: bytes after the last one still wait in
    // its buffer. Flush them now, while a failure can still be reported.
    match stdout.flush() {
        Ok(()) => tool.exit_code(),
        Err(err) => write_failed(&mut tool, &err),
    }
}

/// io::copy does not say whether reading or writing failed. These errors
/// can only come from the writing side: the output is full.
fn is_write_error(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::WriteZero
    )
}

/// Writing failed: stop. Quietly if the reader of our output is gone (`cat
/// big | head`): Rust ignores SIGPIPE, which would have killed us.
fn write_failed(tool: &mut Tool, err: &io::Error) -> ExitCode {
    if err.kind() == ErrorKind::BrokenPipe {
        return ExitCode::FAILURE;
    }
    tool.error(format_args!("write error: {}", describe(err)));
    tool.exit_code()
}
// ANCHOR_END: all
