//! Output still in a buffer when you fork is copied into the child, and
//! then printed twice. `--flush` empties the buffer before the fork.

use std::env;
use std::error::Error;
use std::io::{self, Write};

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork};

// ANCHOR: all
fn main() -> Result<(), Box<dyn Error>> {
    let flush = env::args().any(|arg| arg == "--flush");
    println!("a whole line: stdout writes it at the newline");
    print!("half a line, "); // no newline: it waits in stdout's buffer
    if flush {
        io::stdout().flush()?; // empty the buffer before the fork copies it
    }
    // SAFETY: this program has one thread, so the child may run any code.
    match unsafe { fork() }? {
        ForkResult::Child => println!("then the child"),
        ForkResult::Parent { child } => {
            waitpid(child, None)?; // the child prints first, every time
            println!("then the parent");
        }
    }
    Ok(())
}
// ANCHOR_END: all
