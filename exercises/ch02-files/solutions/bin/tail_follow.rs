//! Exercise 2.1, a reference solution: `tail -f`, following a file as it
//! grows, by polling its size.

use std::env;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

/// How much to read at a time, backwards from the end and forwards after.
const BLOCK: usize = 64 * 1024;
/// How long to wait before looking for new data again.
const POLL: Duration = Duration::from_millis(100);

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let (count, name) = match args.as_slice() {
        [name] => ("10", name),
        [flag, count, name] if flag == "-n" => (count.as_str(), name),
        _ => {
            eprintln!("usage: tail_follow [-n N] FILE");
            return ExitCode::FAILURE;
        }
    };
    let Ok(lines) = count.parse::<u64>() else {
        eprintln!("tail_follow: invalid number of lines: '{count}'");
        return ExitCode::FAILURE;
    };
    let mut file = match File::open(name) {
        Ok(file) => file,
        Err(err) => {
            let why = describe(&err);
            eprintln!("tail_follow: cannot open '{name}' for reading: {why}");
            return ExitCode::FAILURE;
        }
    };
    match follow(&mut file, name, lines) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`tail_follow log | head`): stop quietly.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tail_follow: {name}: {}", describe(&err));
            ExitCode::FAILURE
        }
    }
}

/// Prints the last `lines` lines of `file`, then what is appended to it,
/// forever. Returns only with an error.
fn follow(file: &mut File, name: &str, lines: u64) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let mut offset = start_of_last_lines(file, lines)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = vec![0; BLOCK];
    loop {
        // Everything up to the end of the file as it is now.
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            out.write_all(&buf[..n])?;
            out.flush()?; // a partial line too: stdout only flushes at \n
            offset += n as u64;
        }
        let len = file.metadata()?.len();
        if len < offset {
            eprintln!("tail_follow: {name}: file truncated");
            offset = file.seek(SeekFrom::Start(0))?;
        } else if len == offset {
            thread::sleep(POLL);
        }
        // len > offset: more arrived since the last read; read it now.
    }
}

/// The offset where the last `lines` lines of `file` start, found by
/// reading backwards from the end, one block at a time.
fn start_of_last_lines(file: &mut File, lines: u64) -> io::Result<u64> {
    let len = file.seek(SeekFrom::End(0))?;
    if lines == 0 {
        return Ok(len);
    }
    let mut buf = vec![0; BLOCK];
    let mut end = len;
    let mut seen = 0;
    while end > 0 {
        let start = end.saturating_sub(BLOCK as u64);
        let block = &mut buf[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(block)?;
        for (at, &byte) in block.iter().enumerate().rev() {
            let offset = start + at as u64;
            // The file's last newline ends the last line: it starts none.
            if byte == b'\n' && offset + 1 != len {
                seen += 1;
                if seen == lines {
                    return Ok(offset + 1);
                }
            }
        }
        end = start;
    }
    Ok(0) // fewer lines than asked for: all of them
}

/// The system's message for `err`, without Rust's " (os error N)".
fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    match err.raw_os_error() {
        Some(code) => text
            .strip_suffix(&format!(" (os error {code})"))
            .map_or(text.clone(), str::to_owned),
        None => text,
    }
}
