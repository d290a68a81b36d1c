//! Exercise 9.3: a line-based server in the pool model.
//!
//! `upper_pool [addr [workers [queue]]]` serves clients with a pool of
//! worker threads and a bounded queue, like `echo_pool` (Listing 9-8), but
//! instead of echoing bytes it answers each line (ending in `\n`) with the
//! same line in upper case (Unicode's rules: `straße` becomes `STRASSE`).
//! A final line without `\n` before the client's shutdown is answered too.
//! A line that is not UTF-8 gets `error: not UTF-8`, and the server goes on
//! with the next line. A line longer than 1024 bytes (the `\n` included) gets
//! `error: line longer than 1024 bytes` and the connection is closed.
//!
//! Check your solution with `cargo xtask exercise 9.3`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 9.3: answer each line in upper case, with {args:?}")
}
