//! `bases`: reads integers written the way Python's `int(s, 0)` reads them
//! (`0b1010_1010`, `0o644`, `0xFF`, `-5`) and prints each as Python's
//! `bin`, `oct` and `hex` would, then as the 16 bits of an `i16`.

use std::env;
use std::process::ExitCode;

// ANCHOR: parse
/// Parses an integer literal as Python's `int(text, 0)` does: an optional
/// sign, an optional `0b`/`0o`/`0x` prefix that picks the base, and digits
/// with single underscores between them. ASCII only.
fn parse_literal(text: &str) -> Result<i64, String> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let prefix = rest.get(..2).map(str::to_ascii_lowercase);
    let (radix, digits) = match prefix.as_deref() {
        Some("0b") => (2, &rest[2..]),
        Some("0o") => (8, &rest[2..]),
        Some("0x") => (16, &rest[2..]),
        _ => (10, rest),
    };
    // Python allows one underscore after the prefix and between digits.
    let digits = digits
        .strip_prefix('_')
        .filter(|_| radix != 10)
        .unwrap_or(digits);
    let well_formed = !digits.is_empty()
        && digits
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__");
    if !well_formed {
        return Err("misplaced or missing digits".into());
    }
    let digits = digits.replace('_', "");
    // "010" is an error in Python 3: it was octal in Python 2.
    if radix == 10 && digits.starts_with('0') && digits.bytes().any(|b| b != b'0') {
        return Err("leading zeros in a decimal number".into());
    }
    // from_str_radix takes its own sign, so give it the sign back: that
    // way i64::MIN (-0x8000000000000000) parses too.
    let signed = if negative {
        format!("-{digits}")
    } else {
        digits
    };
    i64::from_str_radix(&signed, radix).map_err(|err| err.to_string())
}
// ANCHOR_END: parse

// ANCHOR: format
/// Python's `bin(x)`, `oct(x)` and `hex(x)`: a sign, a prefix, the digits
/// of the magnitude. Rust's `{:#b}` of a negative number would instead show
/// its two's complement bits.
fn python_style(value: i64) -> [String; 3] {
    let sign = if value < 0 { "-" } else { "" };
    let magnitude = value.unsigned_abs();
    [
        format!("{sign}{magnitude:#b}"),
        format!("{sign}{magnitude:#o}"),
        format!("{sign}{magnitude:#x}"),
    ]
}

/// The 16 bits of `value` as an `i16`: negative numbers in two's complement.
fn i16_bits(value: i64) -> String {
    match i16::try_from(value) {
        Ok(small) => format!("{small:016b}"),
        Err(_) => "(not an i16)".to_owned(),
    }
}
// ANCHOR_END: format

fn main() -> ExitCode {
    let inputs: Vec<String> = env::args().skip(1).collect();
    if inputs.is_empty() {
        eprintln!("usage: bases NUMBER...   (e.g. 0b1010_1010 0o644 0xFF -5)");
        return ExitCode::from(2);
    }
    let mut status = ExitCode::SUCCESS;
    println!(
        "{:<12} {:>6}  {:<19} {:<9} {:<7} i16 bits",
        "input", "value", "bin(x)", "oct(x)", "hex(x)"
    );
    for input in &inputs {
        match parse_literal(input) {
            Ok(value) => {
                let [bin, oct, hex] = python_style(value);
                let bits = i16_bits(value);
                println!("{input:<12} {value:>6}  {bin:<19} {oct:<9} {hex:<7} {bits}");
            }
            Err(why) => {
                eprintln!("bases: {input:?}: not an integer literal: {why}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
