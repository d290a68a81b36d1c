// ANCHOR: all
//! `paths`: how Rust, and the file system, see each path you give it.

use std::env;
use std::fs;
use std::io::{self, Write};
use std::path::{self, Path, PathBuf};

use ch01_shell::describe;

fn main() -> io::Result<()> {
    let mut out = io::stdout().lock();
    for arg in env::args_os().skip(1) {
        let path = Path::new(&arg);
        writeln!(out, "{}", path.display())?;
        // ANCHOR: inspect
        // Pure text: split at `/`, with `.` inside a path dropped.
        let parts: Vec<_> = path.components().collect();
        writeln!(out, "  components        {parts:?}")?;
        writeln!(out, "  is_absolute       {}", path.is_absolute())?;
        // current_dir() joined with the path: still text, `..` kept.
        writeln!(out, "  path::absolute    {}", show(path::absolute(path)))?;
        // realpath(3): the C library asks the kernel about each component
        // (readlink(2)), follows every symbolic link, and fails if a
        // component is missing.
        writeln!(out, "  fs::canonicalize  {}", show(fs::canonicalize(path)))?;
        // ANCHOR_END: inspect
    }
    Ok(())
}

fn show(result: io::Result<PathBuf>) -> String {
    match result {
        Ok(path) => path.display().to_string(),
        Err(err) => format!("error: {}", describe(&err)),
    }
}
// ANCHOR_END: all
