//! fork in a multi-threaded process copies only the calling thread. A lock
//! another thread held at that moment stays locked in the child forever.

use std::error::Error;
use std::fs;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork, pipe, read};

/// The `Threads:` line of `/proc/<pid>/status`.
fn threads(pid: &str) -> Result<String, Box<dyn Error>> {
    let status = fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"));
    Ok(line.ok_or("no Threads line")?.trim().to_owned())
}

// ANCHOR: all
fn main() -> Result<(), Box<dyn Error>> {
    let shared = Arc::new(Mutex::new(0));
    let (locked_tx, locked) = mpsc::channel();
    let (release, release_rx) = mpsc::channel::<()>();
    let holder = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            let _guard = shared.lock().unwrap(); // hold the lock…
            locked_tx.send(()).unwrap();
            let _ = release_rx.recv(); // …until main says so
        })
    };
    locked.recv()?; // from here on, the other thread holds the lock
    println!("parent: {} threads", threads("self")?);

    let (gate_read, gate_write) = pipe()?;
    // SAFETY: the child calls only async-signal-safe functions (read,
    // close, _exit) and an atomic try_lock, then ends with _exit.
    match unsafe { fork() }? {
        ForkResult::Child => {
            drop(gate_write); // close(2)
            let _ = read(&gate_read, &mut [0u8; 1]); // wait for the parent to look
            let code = if shared.try_lock().is_err() { 1 } else { 0 };
            unsafe { libc::_exit(code) }
        }
        ForkResult::Parent { child } => {
            println!("child:  {} thread", threads(&child.to_string())?);
            drop(gate_write); // the child's read returns 0: it goes on
            match waitpid(child, None)? {
                WaitStatus::Exited(_, 1) => {
                    println!("child:  the mutex is locked, and its owner was not copied")
                }
                other => println!("child:  {other:?}"),
            }
        }
    }
    release.send(())?;
    holder.join().unwrap();
    Ok(())
}
// ANCHOR_END: all
