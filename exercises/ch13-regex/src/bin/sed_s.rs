//! Exercise 13.2: `sed s///` with Python's replacement syntax.
//!
//! `sed_s SCRIPT [FILE]...` reads the FILEs (standard input if none) line
//! by line and prints each line with SCRIPT applied. SCRIPT is
//! `s/PATTERN/REPLACEMENT/FLAGS`:
//!
//! - The character after `s` is the delimiter (`/`, `|`, `#`, …; not a
//!   backslash or a newline). In PATTERN and REPLACEMENT, a backslash
//!   followed by the delimiter stands for the delimiter itself.
//! - PATTERN is in the regex crate's syntax.
//! - REPLACEMENT is in the syntax of Python's `re.sub`: `\1` to `\99` and
//!   `\g<1>`, `\g<0>`, `\g<name>` insert a group (an unmatched group
//!   inserts nothing); `\\`, `\n` and `\t` are a backslash, a newline and a
//!   tab; a backslash before any other ASCII letter is an error; before any
//!   other character it stays as it is (`\-` is `\-`). A `$` is just a `$`.
//!   Octal escapes such as `\0` need not be supported.
//! - FLAGS: `g` replaces every match (without it, only the first on each
//!   line), `i` ignores case. Nothing else.
//!
//! A line is replaced without its newline, and printed with it; a last line
//! without a newline stays without one. A bad SCRIPT (a missing delimiter,
//! an unknown flag, an invalid pattern, a group that does not exist) is
//! reported on standard error as `sed_s: <why>` with exit status 1. A FILE
//! that cannot be read is reported as `sed_s: FILE: <why>`; the others are
//! still processed, and the exit status is 2.
//!
//! Check your solution with `cargo xtask exercise 13.2`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 13.2: apply the script in {args:?}")
}
