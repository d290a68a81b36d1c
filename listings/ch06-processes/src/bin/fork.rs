//! One fork: both processes return from it, with different values.

use std::error::Error;

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, getpid, getppid};

// ANCHOR: all
fn main() -> Result<(), Box<dyn Error>> {
    println!("before fork: I am {}", getpid());
    // SAFETY: this program has one thread, so the child may run any code.
    match unsafe { fork() }? {
        ForkResult::Parent { child } => {
            println!("parent: fork returned {child}; I am {}", getpid());
            let status = waitpid(child, None)?; // wait for it, and reap it
            println!("parent: my child ended: {status:?}");
        }
        ForkResult::Child => {
            println!(
                "child: fork returned 0; I am {}, my parent is {}",
                getpid(),
                getppid()
            );
        }
    }
    Ok(()) // both processes return from main: both run this line
}
// ANCHOR_END: all
