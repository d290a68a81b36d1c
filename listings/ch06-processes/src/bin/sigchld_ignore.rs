//! With SIGCHLD set to SIG_IGN, the kernel reaps children as they exit:
//! no zombies, and no exit status for anyone to read.

use std::env;
use std::error::Error;
use std::path::Path;
use std::process::Command;

use nix::errno::Errno;
use nix::sys::signal::{SigHandler, Signal, signal};
use nix::sys::wait::wait;
use nix::unistd::{ForkResult, fork};

// ANCHOR: all
fn main() -> Result<(), Box<dyn Error>> {
    if env::args().nth(1).as_deref() == Some("--child") {
        // Run again by the last lines below: we never touched SIGCHLD.
        match Command::new("true").status() {
            Ok(status) => println!("in a child program, Command::status: {status}"),
            Err(err) => println!("in a child program, Command::status: {err}"),
        }
        return Ok(());
    }
    // SAFETY: SIG_IGN installs no handler, so no handler can misbehave.
    unsafe { signal(Signal::SIGCHLD, SigHandler::SigIgn) }?;

    let mut children = Vec::new();
    for code in 1..=3 {
        // SAFETY: this program has one thread; the child only calls _exit.
        match unsafe { fork() }? {
            ForkResult::Child => unsafe { libc::_exit(code) },
            ForkResult::Parent { child } => children.push(child),
        }
    }
    let pids: Vec<String> = children.iter().map(|pid| pid.to_string()).collect();
    println!("forked {}; each exits at once", pids.join(", "));
    // Blocks until every child has exited, then fails: there is nothing
    // to report, because the kernel has already released them.
    match wait() {
        Err(Errno::ECHILD) => println!("wait: ECHILD, no child to wait for"),
        other => println!("wait: {other:?}"),
    }
    for child in &children {
        let gone = !Path::new(&format!("/proc/{child}")).exists();
        println!("/proc/{child} gone: {gone}");
    }

    // The trap: std's Command waits for its child, and finds none either.
    match Command::new("true").status() {
        Ok(status) => println!("Command::status: {status}"),
        Err(err) => println!("Command::status: {err}"),
    }
    // And SIG_IGN survives execve: this program, run again, inherits it.
    // (Its own status is lost like any other: this is an Err again.)
    let _ = Command::new(env::current_exe()?).arg("--child").status();
    Ok(())
}
// ANCHOR_END: all
