//! Four forked children end in four ways. Each inherited a copy of the
//! parent's stdout buffer and of an object with a destructor; what each
//! copy does on the way out shows what each way of ending runs.

use std::error::Error;
use std::fs::File;
use std::io::Read;
use std::process;

use nix::sys::signal::{Signal, raise};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, dup2_stdout, fork, pipe};

/// Stands for any value whose `Drop` does something: a `BufWriter`
/// flushing, a `TempDir` deleting its directory.
struct Noisy;

impl Drop for Noisy {
    fn drop(&mut self) {
        print!("<drop ran>");
    }
}

fn describe(status: WaitStatus) -> String {
    match status {
        WaitStatus::Exited(_, code) => format!("exit status {code}"),
        WaitStatus::Signaled(_, signal, _) => format!("killed by {signal}"),
        other => format!("{other:?}"),
    }
}

// ANCHOR: main
fn main() -> Result<(), Box<dyn Error>> {
    let noisy = Noisy;
    print!("<parent's unflushed text>"); // no newline: it waits in the buffer
    let mut report = Vec::new();
    for how in ["return", "process::exit", "_exit", "SIGKILL"] {
        let (pipe_read, pipe_write) = pipe()?;
        // SAFETY: this program has one thread, so the child may run any code.
        match unsafe { fork() }? {
            ForkResult::Child => {
                dup2_stdout(&pipe_write)?; // the child's stdout is now the pipe
                match how {
                    "return" => return Ok(()), // destructors, then std flushes stdout
                    "process::exit" => process::exit(3), // std flushes stdout
                    "_exit" => unsafe { libc::_exit(4) }, // nothing runs at all
                    _ => {
                        raise(Signal::SIGKILL)?; // nothing runs at all
                        unreachable!()
                    }
                }
            }
            ForkResult::Parent { child } => {
                drop(pipe_write); // so that the read below ends with the child
                let mut wrote = String::new();
                File::from(pipe_read).read_to_string(&mut wrote)?;
                let status = describe(waitpid(child, None)?);
                report.push(format!("{how:<14} {status:<18} wrote {wrote:?}"));
            }
        }
    }
    drop(noisy); // the parent's own copy: its drop runs here…
    println!(); // …and its buffer goes out here
    for line in report {
        println!("{line}");
    }
    Ok(())
}
// ANCHOR_END: main
