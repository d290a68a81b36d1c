//! `find_names DIR PATTERN`: the names in DIR that match PATTERN, matched as
//! bytes, because a Linux file name is any bytes but `/` and NUL.

use std::env;
use std::error::Error;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::process::ExitCode;

use regex::bytes::Regex;

// ANCHOR: run
fn run() -> Result<(), Box<dyn Error>> {
    let args: Vec<_> = env::args_os().skip(1).collect();
    let [dir, pattern] = args.as_slice() else {
        return Err("usage: find_names DIR PATTERN".into());
    };
    let pattern = pattern.to_str().ok_or("the pattern must be UTF-8")?;
    let regex = Regex::new(pattern)?;
    let entries =
        fs::read_dir(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    let mut names: Vec<Vec<u8>> = Vec::new();
    for entry in entries {
        let name = entry?.file_name(); // an OsString: bytes, on Linux
        if regex.is_match(name.as_bytes()) {
            names.push(name.as_bytes().to_vec());
        }
    }
    names.sort();
    for name in names {
        println!("{}", shown(&name));
    }
    Ok(())
}

/// A name for a terminal: valid UTF-8 as it is, other bytes as `\xNN`.
fn shown(name: &[u8]) -> String {
    let mut text = String::new();
    for chunk in name.utf8_chunks() {
        text.push_str(chunk.valid());
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02x}"));
        }
    }
    text
}
// ANCHOR_END: run

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("find_names: {err}");
            ExitCode::FAILURE
        }
    }
}
