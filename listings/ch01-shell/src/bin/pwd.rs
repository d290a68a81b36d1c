// ANCHOR: all
//! `pwd`: print the current working directory.

use std::env;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;

fn main() -> io::Result<()> {
    // getcwd(3) asks the kernel, which knows the directory itself, not the
    // path you typed to get there: symbolic links come back resolved.
    let dir = env::current_dir()?;
    // A path is bytes on Linux, not necessarily UTF-8: write the bytes.
    let mut stdout = io::stdout().lock();
    stdout.write_all(dir.as_os_str().as_bytes())?;
    stdout.write_all(b"\n")?;
    Ok(())
}
// ANCHOR_END: all
