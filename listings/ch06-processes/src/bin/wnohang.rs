//! `waitpid` with WNOHANG returns at once: the parent checks on its child
//! between pieces of its own work instead of blocking.

use std::error::Error;
use std::path::Path;
use std::thread;
use std::time::Duration;

use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork, pipe, read};

// ANCHOR: all
fn main() -> Result<(), Box<dyn Error>> {
    let (gate_read, gate_write) = pipe()?;
    // SAFETY: this program has one thread, so the child may run any code.
    let child = match unsafe { fork() }? {
        ForkResult::Child => {
            drop(gate_write);
            let _ = read(&gate_read, &mut [0u8; 1]); // blocks until the gate closes
            unsafe { libc::_exit(7) }
        }
        ForkResult::Parent { child } => child,
    };
    drop(gate_read);
    let mut gate = Some(gate_write);
    let mut work_done = 0;
    loop {
        match waitpid(child, Some(WaitPidFlag::WNOHANG))? {
            WaitStatus::StillAlive => {
                work_done += 1; // the parent's own work goes here
                if work_done <= 3 {
                    println!("WNOHANG: StillAlive; the parent does piece {work_done} of its work");
                }
                if work_done == 3 {
                    drop(gate.take()); // close the gate: now the child can finish
                }
                thread::sleep(Duration::from_millis(1)); // a piece of work
            }
            status => {
                println!("WNOHANG: {status:?}; the child is reaped");
                break;
            }
        }
    }
    let gone = !Path::new(&format!("/proc/{child}")).exists();
    println!("/proc/{child} gone: {gone}"); // no zombie left behind
    Ok(())
}
// ANCHOR_END: all
