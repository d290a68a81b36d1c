//! A child that has exited stays in the process table, in state Z, until
//! its parent waits for it. `waitpid` reaps it and returns its status.

use std::error::Error;
use std::fs;

use ch06_processes::read_stat;
use nix::sys::wait::{Id, WaitPidFlag, waitid, waitpid};
use nix::unistd::{ForkResult, fork};

// ANCHOR: all
fn main() -> Result<(), Box<dyn Error>> {
    // SAFETY: this program has one thread, so the child may run any code.
    let child = match unsafe { fork() }? {
        ForkResult::Child => unsafe { libc::_exit(3) },
        ForkResult::Parent { child } => child,
    };
    // Wait until the child has exited, but leave it unreaped (WNOWAIT),
    // as a parent that never calls wait would.
    waitid(Id::Pid(child), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT)?;

    let stat = read_stat(child.as_raw())?;
    println!(
        "child {child}: state {} ({}), parent {}",
        stat.state, stat.comm, stat.ppid
    );
    let memory = fs::read_to_string(format!("/proc/{child}/statm"))?;
    println!(
        "its memory, in pages (/proc/{child}/statm): {}",
        memory.trim()
    );

    let status = waitpid(child, None)?; // reap it
    println!("waitpid: {status:?}");
    match fs::metadata(format!("/proc/{child}")) {
        Ok(_) => println!("/proc/{child} is still there"),
        Err(err) => println!("/proc/{child}: {err}"),
    }
    Ok(())
}
// ANCHOR_END: all
