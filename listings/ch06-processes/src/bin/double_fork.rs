//! The double fork: the child forks the real worker and exits at once. The
//! parent reaps the child right away; the grandchild, an orphan, is reaped
//! by whoever adopts it. The parent never has a zombie to collect.

use std::error::Error;
use std::fs::File;
use std::io::{Read, Write};
use std::process;

use ch06_processes::{children_of, snapshot};
use nix::sys::prctl;
use nix::sys::signal::{SigSet, Signal};
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, getpid, getppid, pipe};

// ANCHOR: all
fn main() -> Result<(), Box<dyn Error>> {
    // The grandchild reports through this pipe, and its exit closes the
    // write end: the parent sees it finish without being its parent.
    let (done_read, done_write) = pipe()?;
    let mut usr1 = SigSet::empty();
    usr1.add(Signal::SIGUSR1);
    usr1.thread_block()?;

    // SAFETY: this program has one thread, so the children may run any code.
    match unsafe { fork() }? {
        ForkResult::Parent { child } => {
            drop(done_write);
            println!("parent {}: forked {child}", process::id());
            let status = waitpid(child, None)?; // returns at once: it exits at once
            println!("parent: reaped {child} at once: {status:?}");
            let mine = children_of(&snapshot()?, process::id() as i32);
            println!("parent: children left to wait for: {mine:?}");
            let mut report = String::new();
            File::from(done_read).read_to_string(&mut report)?; // to end of file
            print!("parent: the grandchild wrote: {report}");
            println!("parent: the grandchild has exited; I never waited for it");
        }
        ForkResult::Child => {
            let middle = getpid();
            match unsafe { fork() }? {
                ForkResult::Parent { .. } => unsafe { libc::_exit(0) }, // the middle leaves
                ForkResult::Child => {
                    prctl::set_pdeathsig(Signal::SIGUSR1)?;
                    if getppid() == middle {
                        usr1.wait()?; // until the middle process is gone
                    }
                    let report = format!(
                        "my parent {middle} is gone; I am {}, adopted by {}\n",
                        getpid(),
                        getppid()
                    );
                    File::from(done_write).write_all(report.as_bytes())?;
                }
            }
        }
    }
    Ok(())
}
// ANCHOR_END: all
