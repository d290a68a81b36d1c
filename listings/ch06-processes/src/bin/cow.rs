//! After fork, parent and child have separate copies of every variable. The
//! kernel copies a page only when one of them writes to it: copy-on-write.

use std::error::Error;
use std::fs;
use std::io;

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork};

const MIB: usize = 1024 * 1024;

// ANCHOR: smaps
/// How much of the mapping that holds `addr` is shared with another process
/// and how much is this process's own, in MiB, from `/proc/self/smaps`.
fn shared_and_private(addr: *const u8) -> io::Result<(u64, u64)> {
    let smaps = fs::read_to_string("/proc/self/smaps")?;
    let addr = addr as u64;
    let mut inside = false;
    let (mut shared, mut private) = (0, 0);
    for line in smaps.lines() {
        let first = line.split_whitespace().next().unwrap_or_default();
        if let Some((start, end)) = first.split_once('-') {
            // A mapping's header: "start-end perms offset dev inode path".
            let start = u64::from_str_radix(start, 16).unwrap_or(u64::MAX);
            let end = u64::from_str_radix(end, 16).unwrap_or(0);
            inside = (start..end).contains(&addr);
        } else if inside {
            let kb = |rest: &str| {
                rest.trim()
                    .trim_end_matches(" kB")
                    .parse::<u64>()
                    .unwrap_or(0)
            };
            if let Some(rest) = line.strip_prefix("Shared_Dirty:") {
                shared += kb(rest);
            } else if let Some(rest) = line.strip_prefix("Private_Dirty:") {
                private += kb(rest);
            }
        }
    }
    Ok((shared / 1024, private / 1024))
}
// ANCHOR_END: smaps

// ANCHOR: main
fn main() -> Result<(), Box<dyn Error>> {
    let mut counter = 1; // on the stack
    let mut buffer = vec![1u8; 16 * MIB]; // on the heap: 4096 pages, all written
    let (shared, private) = shared_and_private(buffer.as_ptr())?;
    println!("parent before fork: buffer {shared} MiB shared, {private} MiB private");

    // SAFETY: this program has one thread, so the child may run any code.
    match unsafe { fork() }? {
        ForkResult::Child => {
            let (shared, private) = shared_and_private(buffer.as_ptr())?;
            println!("child after fork:   buffer {shared} MiB shared, {private} MiB private");
            counter += 1;
            buffer.fill(2); // write to every page: each one is copied now
            let (shared, private) = shared_and_private(buffer.as_ptr())?;
            println!("child after write:  buffer {shared} MiB shared, {private} MiB private");
            println!("child:  counter = {counter}, buffer[0] = {}", buffer[0]);
        }
        ForkResult::Parent { child } => {
            waitpid(child, None)?; // let the child finish first
            println!("parent: counter = {counter}, buffer[0] = {}", buffer[0]);
        }
    }
    Ok(())
}
// ANCHOR_END: main
