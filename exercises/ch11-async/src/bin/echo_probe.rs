//! Exercise 11.2: `echo_probe [--timeout-ms N] [--max-concurrent N]
//! ADDR...` checks many echo servers at once, like `asyncio.gather` with
//! `wait_for` and a `Semaphore`.
//!
//! For each address it connects, sends `ping\n` and expects it back, all
//! within `--timeout-ms` milliseconds (default 1,000); at most
//! `--max-concurrent` probes (default 100) are in progress at once. It
//! prints one line per address, in the order given: `ADDR ok`,
//! `ADDR timed out` or `ADDR error: WHAT`, and exits with 0 if every probe
//! was ok, 1 otherwise, and 2 (with a usage message) on bad arguments.
//!
//! Check your solution with `cargo xtask exercise 11.2`.

use std::io;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    todo!(
        "parse the arguments, spawn `probe` for every address (a JoinSet), \
         each under a timeout and a Semaphore permit, then print in order"
    )
}

/// Connects to `addr`, sends `ping\n` and reads back the same 5 bytes.
#[allow(dead_code)] // until main uses it
async fn probe(addr: &str) -> io::Result<()> {
    let _ = addr;
    todo!("TcpStream::connect, write_all, read_exact")
}
