//! Exercise 7.2: `fd_server SOCKET ROOT`, a server that hands out open
//! files.
//!
//! It listens on the Unix socket SOCKET (replacing a stale socket file) and
//! prints `listening on SOCKET`. It serves one client at a time. A client
//! sends one line, a path relative to ROOT. If the path names a regular
//! file inside ROOT, the server answers the single byte `+` with the file,
//! opened read-only, attached as SCM_RIGHTS. Otherwise it answers one line
//! and no descriptor: `-outside the root` (absolute paths, `..` and links
//! that leave ROOT), `-not found`, `-not a regular file`, or `-bad request`
//! (no line within 4096 bytes). Then it closes the connection. A client
//! that leaves early or sends garbage never stops the server.
//!
//! Check your solution with `cargo xtask exercise 7.2`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 7.2: serve open files from {args:?}")
}
