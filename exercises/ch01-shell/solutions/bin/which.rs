//! Exercise 1.1, a reference solution: `which`, as debianutils has it.

use std::env;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::Path;
use std::process::ExitCode;

use nix::unistd::{AccessFlags, access};

/// The search path when `PATH` is unset. debianutils' `which` is a script
/// for dash, and dash starts with this `PATH` when it inherits none.
const DEFAULT_PATH: &[u8] = b"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

fn main() -> ExitCode {
    let mut args = env::args_os().skip(1).peekable();
    let mut all = false;
    // Options come first, as the shell's getopts reads them.
    while let Some(arg) = args.next_if(|arg| arg.len() > 1 && arg.as_bytes()[0] == b'-') {
        match arg.as_bytes() {
            b"--" => break,
            [b'-', letters @ ..] if letters.iter().all(|&letter| letter == b'a') => all = true,
            _ => {
                eprintln!("usage: which [-a] NAME...");
                return ExitCode::from(2);
            }
        }
    }
    let names: Vec<OsString> = args.collect();

    let path = env::var_os("PATH").map_or_else(|| DEFAULT_PATH.to_vec(), OsString::into_vec);
    let dirs: Vec<&[u8]> = if path.is_empty() {
        Vec::new()
    } else {
        path.split(|&byte| byte == b':').collect()
    };

    let mut out = io::stdout().lock();
    let mut all_found = !names.is_empty();
    for name in &names {
        let name = name.as_bytes();
        let mut found = Vec::new();
        if name.contains(&b'/') {
            if counts(name) {
                found.push(name.to_vec());
            }
        } else {
            for dir in &dirs {
                let dir: &[u8] = if dir.is_empty() { b"." } else { dir };
                // Text, not Path::join: `bin/` + `ls` is `bin//ls`, as
                // which prints it.
                let candidate = [dir, b"/", name].concat();
                if counts(&candidate) {
                    found.push(candidate);
                    if !all {
                        break;
                    }
                }
            }
        }
        all_found &= !found.is_empty();
        for mut path in found {
            path.push(b'\n');
            if out.write_all(&path).is_err() {
                return ExitCode::FAILURE;
            }
        }
    }
    if out.flush().is_err() || !all_found {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Whether `path` is a regular file (after following symbolic links) that
/// this process may execute.
fn counts(path: &[u8]) -> bool {
    let path = Path::new(OsStr::from_bytes(path));
    // metadata is stat(2): it follows links, so a link to a program counts
    // and a dangling link does not.
    let is_file = fs::metadata(path).is_ok_and(|meta| meta.is_file());
    // Not the mode bits: the kernel decides with the owner's bits if you
    // own the file, the group's if you are in its group, the others'
    // otherwise, and for root with any x bit at all. access(2) asks it.
    is_file && access(path, AccessFlags::X_OK).is_ok()
}
