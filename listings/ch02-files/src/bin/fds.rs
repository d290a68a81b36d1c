//! Lists this process's open file descriptors, then opens and closes files
//! to show which numbers the kernel hands out.

use std::env;
use std::fs::{self, File};
use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::path::PathBuf;

// ANCHOR: list
/// Prints every open descriptor and what it refers to, as /proc shows it.
fn list_fds() -> io::Result<()> {
    let mut fds = Vec::new();
    // read_dir opens /proc/self/fd itself, so that descriptor shows up too.
    for entry in fs::read_dir("/proc/self/fd")? {
        let entry = entry?;
        let fd: i32 = entry.file_name().to_string_lossy().parse().unwrap_or(-1);
        // A descriptor can close between read_dir and read_link: skip it then.
        if let Ok(target) = fs::read_link(entry.path()) {
            fds.push((fd, target));
        }
    }
    fds.sort();
    for (fd, target) in fds {
        println!("  {fd} -> {}", target.display());
    }
    Ok(())
}
// ANCHOR_END: list

// ANCHOR: numbers
fn main() -> io::Result<()> {
    let dir = match env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => env::temp_dir().join("ch02-fds"),
    };
    fs::create_dir_all(&dir)?;

    println!("open at start:");
    list_fds()?;

    let a = File::create(dir.join("a.txt"))?;
    let b = File::create(dir.join("b.txt"))?;
    println!(
        "a.txt is fd {}, b.txt is fd {}",
        a.as_raw_fd(),
        b.as_raw_fd()
    );
    drop(a); // close(3)
    let c = File::create(dir.join("c.txt"))?;
    println!("after closing a.txt, c.txt is fd {}", c.as_raw_fd());

    let borrowed = c.as_fd(); // a BorrowedFd: cannot outlive `c`
    println!("c.as_fd() = {borrowed:?}");
    println!("open now:");
    list_fds()?;
    Ok(())
}
// ANCHOR_END: numbers
