//! Three ways to call fork more than once, and the process tree each one
//! makes: forks in a row (every process forks again), forks in the
//! parent's branch (siblings), forks in the child's branch (a chain).

use std::error::Error;
use std::ffi::CString;
use std::os::fd::OwnedFd;
use std::process;

use ch06_processes::{render_tree, snapshot};
use nix::errno::Errno;
use nix::sys::prctl;
use nix::sys::wait::wait;
use nix::unistd::{ForkResult, fork, pipe, read, write};

/// Pipes that keep a family of processes alive until its tree is printed.
struct Family {
    root: u32,
    /// Each new process writes one byte here once it has its name.
    ready: (OwnedFd, OwnedFd),
    /// Everyone blocks reading this until the root closes its write end.
    release: (OwnedFd, Option<OwnedFd>),
}

impl Family {
    fn new() -> nix::Result<Family> {
        let (release_read, release_write) = pipe()?;
        Ok(Family {
            root: process::id(),
            ready: pipe()?,
            release: (release_read, Some(release_write)),
        })
    }

    /// Forks; the child takes the name of its parent plus `.suffix`.
    /// Returns true in the parent, false in the child.
    fn fork(&self, suffix: &str) -> Result<bool, Box<dyn Error>> {
        let name = prctl::get_name()?.into_string()?;
        // SAFETY: every process of this program has one thread.
        match unsafe { fork() }? {
            ForkResult::Parent { .. } => Ok(true),
            ForkResult::Child => {
                prctl::set_name(&CString::new(format!("{name}.{suffix}"))?)?;
                write(&self.ready.1, b"+")?;
                Ok(false)
            }
        }
    }

    /// The end of every process of the family. The root waits for
    /// `expected` descendants, prints the tree, and lets them go; each of
    /// the others waits to be let go. Then each reaps its own children.
    fn finish(mut self, expected: usize) -> Result<(), Box<dyn Error>> {
        let is_root = process::id() == self.root;
        if is_root {
            let mut seen = 0;
            while seen < expected {
                seen += read(&self.ready.0, &mut [0u8; 64])?;
            }
            for line in render_tree(&snapshot()?, self.root as i32, false) {
                println!("  {line}");
            }
        }
        self.release.1 = None; // close our copy of the write end
        if !is_root {
            read(&self.release.0, &mut [0u8; 1])?; // 0 bytes: end of file
        }
        loop {
            match wait() {
                Ok(_) | Err(Errno::EINTR) => {}
                Err(Errno::ECHILD) => break,
                Err(err) => return Err(err.into()),
            }
        }
        if !is_root {
            // SAFETY: _exit(2) ends this copy of the program here, so that
            // only the root goes on to the next example.
            unsafe { libc::_exit(0) };
        }
        Ok(())
    }
}

// ANCHOR: in_a_row
fn in_a_row(times: u32) -> Result<(), Box<dyn Error>> {
    prctl::set_name(c"row")?;
    let family = Family::new()?;
    for i in 1..=times {
        family.fork(&i.to_string())?; // parent and child both go on looping
    }
    family.finish(2usize.pow(times) - 1)
}
// ANCHOR_END: in_a_row

// ANCHOR: siblings
fn siblings() -> Result<(), Box<dyn Error>> {
    prctl::set_name(c"siblings")?;
    let family = Family::new()?;
    if family.fork("1")? {
        family.fork("2")?; // only the parent forks again
    }
    family.finish(2)
}
// ANCHOR_END: siblings

// ANCHOR: chain
fn chain() -> Result<(), Box<dyn Error>> {
    prctl::set_name(c"chain")?;
    let family = Family::new()?;
    if !family.fork("1")? {
        family.fork("2")?; // only the child forks again
    }
    family.finish(2)
}
// ANCHOR_END: chain

fn main() -> Result<(), Box<dyn Error>> {
    println!("two forks in a row:");
    in_a_row(2)?;
    println!("three forks in a row:");
    in_a_row(3)?;
    println!("fork again in the parent's branch:");
    siblings()?;
    println!("fork again in the child's branch:");
    chain()?;
    Ok(())
}
