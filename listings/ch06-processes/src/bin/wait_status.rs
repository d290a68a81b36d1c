//! What `waitpid` reports for a child that exits, is killed or is stopped:
//! the raw status integer, the C macros that decode it, and nix's
//! `WaitStatus`.

use std::error::Error;

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, pause};

/// Forks a child that exits with `code`, or pauses if `code` is `None`.
fn child(code: Option<i32>) -> nix::Result<Pid> {
    // SAFETY: this program has one thread; the child only calls _exit or
    // pause.
    match unsafe { fork() }? {
        ForkResult::Parent { child } => Ok(child),
        ForkResult::Child => match code {
            Some(code) => unsafe { libc::_exit(code) },
            None => loop {
                pause();
            },
        },
    }
}

// ANCHOR: raw
/// `waitpid` through libc, to see the raw `int` that C and Python see.
fn waitpid_raw(pid: Pid, flags: libc::c_int) -> nix::Result<libc::c_int> {
    let mut status = 0;
    // SAFETY: `status` is a valid place for the kernel to write an int.
    let reaped = unsafe { libc::waitpid(pid.as_raw(), &mut status, flags) };
    nix::errno::Errno::result(reaped).map(|_| status)
}
// ANCHOR_END: raw

// ANCHOR: main
fn main() -> Result<(), Box<dyn Error>> {
    println!(
        "{:<19} {:>6}  {:<18} nix WaitStatus",
        "the child", "raw", "C macros"
    );
    for (what, code, signal) in [
        ("_exit(0)", Some(0), None),
        ("_exit(3)", Some(3), None),
        ("_exit(263)", Some(263), None),
        ("killed by SIGTERM", None, Some(Signal::SIGTERM)),
        ("killed by SIGKILL", None, Some(Signal::SIGKILL)),
        ("stopped by SIGSTOP", None, Some(Signal::SIGSTOP)),
    ] {
        let pid = child(code)?;
        if let Some(signal) = signal {
            kill(pid, signal)?;
        }
        let raw = waitpid_raw(pid, libc::WUNTRACED)?; // WUNTRACED: report stops too
        let macros = if libc::WIFEXITED(raw) {
            format!("WEXITSTATUS = {}", libc::WEXITSTATUS(raw))
        } else if libc::WIFSIGNALED(raw) {
            format!("WTERMSIG = {}", libc::WTERMSIG(raw))
        } else {
            format!("WSTOPSIG = {}", libc::WSTOPSIG(raw))
        };
        let status = WaitStatus::from_raw(pid, raw)?;
        let shown = format!("{status:?}").replace(&format!("Pid({pid})"), "pid");
        println!("{what:<19} {raw:>6}  {macros:<18} {shown}");
        if let WaitStatus::Stopped(..) = status {
            kill(pid, Signal::SIGKILL)?; // a stopped child is not dead:
            waitpid(pid, None)?; // end it, and reap it
        }
    }
    Ok(())
}
// ANCHOR_END: main
