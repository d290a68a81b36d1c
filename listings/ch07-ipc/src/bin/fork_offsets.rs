//! `fork_offsets [DIR]`: a child and its parent write one line each to the
//! same file: once through a file opened before `fork`, once through files
//! each process opens for itself, and once in append mode.

use std::env;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ch07_ipc::{fork_child, wait_child};

// ANCHOR: before_fork
/// One `open` before `fork`: parent and child share one open file
/// description, and so one offset.
fn opened_before_fork(path: &Path) -> io::Result<()> {
    let mut file = File::create(path)?;
    let child = fork_child(|| match file.write_all(b"written by the child\n") {
        Ok(()) => 0,
        Err(_) => 1,
    })?;
    wait_child(child)?; // the child writes first, then we do
    file.write_all(b"written by the parent\n")?;
    Ok(())
}
// ANCHOR_END: before_fork

// ANCHOR: in_each
/// An `open` in each process: two descriptions, two offsets, both at 0.
/// With `append`, each write goes to the end of the file instead.
fn opened_in_each(path: &Path, append: bool) -> io::Result<()> {
    File::create(path)?; // an empty file
    let open = || OpenOptions::new().write(true).append(append).open(path);
    let child = fork_child(|| {
        let line = b"written by the child\n";
        let written = open().and_then(|mut file| file.write_all(line));
        if written.is_ok() { 0 } else { 1 }
    })?;
    wait_child(child)?;
    open()?.write_all(b"written by the parent\n")?;
    Ok(())
}
// ANCHOR_END: in_each

fn main() -> io::Result<()> {
    let dir = match env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => env::temp_dir().join("ch07-fork-offsets"),
    };
    fs::create_dir_all(&dir)?;
    let path = dir.join("lines.txt");

    opened_before_fork(&path)?;
    println!(
        "opened once, before fork:\n{:?}",
        fs::read_to_string(&path)?
    );
    opened_in_each(&path, false)?;
    println!("opened in each process:\n{:?}", fs::read_to_string(&path)?);
    opened_in_each(&path, true)?;
    println!(
        "opened in each, O_APPEND:\n{:?}",
        fs::read_to_string(&path)?
    );
    Ok(())
}
