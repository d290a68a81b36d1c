//! The parent exits without waiting; its child lives on, is re-parented,
//! and says who its new parent is.

use std::error::Error;

use ch06_processes::read_stat;
use nix::sys::prctl;
use nix::sys::signal::{SigSet, Signal};
use nix::unistd::{ForkResult, fork, getpid, getppid};

// ANCHOR: all
fn main() -> Result<(), Box<dyn Error>> {
    let parent = getpid();
    // Blocked, so that SIGUSR1 waits for sigwait instead of killing us.
    let mut usr1 = SigSet::empty();
    usr1.add(Signal::SIGUSR1);
    usr1.thread_block()?;

    // SAFETY: this program has one thread, so the child may run any code.
    match unsafe { fork() }? {
        ForkResult::Parent { child } => {
            println!("parent {parent}: forked {child}; exiting without waiting for it");
        }
        ForkResult::Child => {
            // Ask the kernel for SIGUSR1 when the parent dies. It is sent
            // after the re-parenting, so getppid then shows the new parent.
            prctl::set_pdeathsig(Signal::SIGUSR1)?;
            if getppid() == parent {
                usr1.wait()?; // the parent is still alive: wait for its death
            } // else it died before we asked: we are re-parented already
            let adopter = getppid();
            let name = read_stat(adopter.as_raw())?.comm;
            println!(
                "child {}: my parent was {parent}; now it is {adopter} ({name})",
                getpid()
            );
        }
    }
    Ok(())
}
// ANCHOR_END: all
