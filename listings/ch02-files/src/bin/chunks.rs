//! Counts the bytes and lines of a file of any size, reading it in chunks
//! of 64 KiB: memory use does not grow with the file.

use std::env;
use std::fs::File;
use std::io::{self, ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ch02_files::strerror;

// ANCHOR: count
/// The number of bytes and newlines in `path`, and how many reads it took.
fn count(path: &Path) -> io::Result<(u64, u64, u64)> {
    let mut file = File::open(path)?;
    let mut chunk = vec![0u8; 64 * 1024]; // the only buffer, however big the file
    let (mut bytes, mut lines, mut reads) = (0, 0, 0);
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => break, // end of file
            Ok(n) => n,     // 1..=65536 bytes, whatever the kernel had
            Err(err) if err.kind() == ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        reads += 1;
        bytes += n as u64;
        lines += chunk[..n].iter().filter(|&&byte| byte == b'\n').count() as u64;
    }
    Ok((bytes, lines, reads))
}
// ANCHOR_END: count

fn main() -> ExitCode {
    let Some(path) = env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: chunks FILE");
        return ExitCode::from(2);
    };
    match count(&path) {
        Ok((bytes, lines, reads)) => {
            println!("{bytes} bytes, {lines} lines, {reads} reads");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("chunks: {}: {}", path.display(), strerror(&err));
            ExitCode::FAILURE
        }
    }
}
