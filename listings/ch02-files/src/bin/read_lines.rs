//! Reads a file line by line with `BufRead::read_line` and shows exactly
//! what each call returns, up to the 0 that means end of file.

use std::env;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ch02_files::strerror;

// ANCHOR: read_line
fn show_lines(path: &Path) -> io::Result<()> {
    let mut reader = BufReader::new(File::open(path)?);
    let mut line = String::new();
    loop {
        line.clear(); // read_line appends: empty the buffer first
        let n = reader.read_line(&mut line)?;
        println!("read_line returned {n:>2}: {line:?}");
        if n == 0 {
            return Ok(()); // 0 bytes: end of file
        }
    }
}
// ANCHOR_END: read_line

fn main() -> ExitCode {
    let Some(path) = env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: read_lines FILE");
        return ExitCode::from(2);
    };
    match show_lines(&path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("read_lines: {}: {}", path.display(), strerror(&err));
            ExitCode::FAILURE
        }
    }
}
