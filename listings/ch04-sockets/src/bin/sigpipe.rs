//! `sigpipe [--default]`: writes on a connection the peer has reset.
//! Rust ignores SIGPIPE, so write(2) fails with EPIPE; with `--default`
//! the signal gets its default action back, as in a C program, and
//! write(2) kills the process. std's own write never raises the signal.

use std::env;
use std::fs;
use std::io::{self, Write};
use std::time::Duration;

use ch04_sockets::{loopback_pair, wait_for};
use nix::poll::PollFlags;
use nix::sys::signal::{SigHandler, Signal, signal};
use nix::unistd::write;

// ANCHOR: ignored
/// Whether SIGPIPE is ignored, from the `SigIgn` mask in /proc/self/status
/// (hexadecimal; bit n-1 stands for signal n).
fn sigpipe_ignored() -> io::Result<bool> {
    let status = fs::read_to_string("/proc/self/status")?;
    let mask = status
        .lines()
        .find_map(|line| line.strip_prefix("SigIgn:"))
        .ok_or_else(|| io::Error::other("no SigIgn line in /proc/self/status"))?;
    let mask = u64::from_str_radix(mask.trim(), 16).map_err(io::Error::other)?;
    Ok(mask & (1 << (Signal::SIGPIPE as i32 - 1)) != 0)
}
// ANCHOR_END: ignored

fn main() -> io::Result<()> {
    // ANCHOR: main
    println!("SIGPIPE ignored when main starts: {}", sigpipe_ignored()?);
    if env::args().nth(1).as_deref() == Some("--default") {
        // SAFETY: SIG_DFL installs no handler, so no handler code can run
        // at the wrong moment.
        unsafe { signal(Signal::SIGPIPE, SigHandler::SigDfl) }?;
        println!("SIGPIPE set back to SIG_DFL, as in a C program");
    }

    let (mut client, server) = loopback_pair()?;
    drop(server);
    client.write_all(b"hello")?; // accepted; the peer's kernel sends RST
    wait_for(&client, PollFlags::POLLHUP, Duration::from_secs(5))?;

    // std's TcpStream::write is send(2) with MSG_NOSIGNAL: never a signal.
    if let Err(err) = client.write(b"hello") {
        println!("TcpStream::write (send, MSG_NOSIGNAL): {err}");
    }
    // Plain write(2) raises SIGPIPE, which kills us unless it is ignored.
    match write(&client, b"hello") {
        Ok(n) => println!("write(2) returned {n}"),
        Err(errno) => println!("write(2) failed: {errno}"),
    }
    // ANCHOR_END: main
    Ok(())
}
