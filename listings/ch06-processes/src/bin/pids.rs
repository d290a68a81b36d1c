//! Prints this process's ID, its parent's, and a few lines of what the
//! kernel keeps about it.

use std::fs;
use std::io;
use std::os::unix::process::parent_id;
use std::process;

use nix::unistd::{getpid, getppid};

// ANCHOR: all
fn main() -> io::Result<()> {
    println!("process::id()  {}", process::id()); // std: a u32
    println!("getpid()       {}", getpid()); // nix: a Pid
    println!("getppid()      {}", getppid());
    println!("parent_id()    {}", parent_id()); // std's getppid
    println!("from /proc/self/status:");
    let status = fs::read_to_string("/proc/self/status")?;
    for line in status.lines() {
        let (key, _) = line.split_once(':').unwrap_or((line, ""));
        let shown = [
            "Name",
            "State",
            "Pid",
            "PPid",
            "Threads",
            "voluntary_ctxt_switches",
            "nonvoluntary_ctxt_switches",
        ];
        if shown.contains(&key) {
            println!("  {line}");
        }
    }
    Ok(())
}
// ANCHOR_END: all
