//! Buffers a line for a file and some text for stdout, then ends the process
//! in four ways, and shows which output survived each.

use std::env;
use std::error::Error;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{self, Command};

use nix::sys::signal::{Signal, raise};

// ANCHOR: child
/// Leaves output in two buffers, then ends the way `how` says.
fn buffer_then_end(how: &str, log_path: &Path) -> io::Result<()> {
    let mut log = BufWriter::new(File::create(log_path)?);
    writeln!(log, "a line in the BufWriter")?; // 24 bytes: stays in the buffer
    print!("stdout, no newline"); // stays in stdout's line buffer
    match how {
        "exit" => process::exit(0), // no destructor runs: `log` is never flushed
        "panic" => panic!("on purpose"), // unwinding drops `log`, which flushes
        "kill" => {
            raise(Signal::SIGKILL)?; // like `kill -9`: nothing runs at all
            unreachable!("SIGKILL cannot be caught");
        }
        _ => Ok(()), // return: `log` is dropped, and its drop flushes
    }
}
// ANCHOR_END: child

// ANCHOR: parent
fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<OsString> = env::args_os().collect();
    if let [_, how, log_path] = &args[..] {
        let how = how
            .to_str()
            .ok_or("usage: lost_output [return|panic|exit|kill LOG]")?;
        return Ok(buffer_then_end(how, Path::new(log_path))?);
    }
    // Otherwise run this program four times, once per way to end, and look
    // at what each child left behind: a process cannot watch its own death.
    let dir = match args.get(1) {
        Some(dir) => PathBuf::from(dir),
        None => env::temp_dir().join("ch02-lost-output"),
    };
    fs::create_dir_all(&dir)?;
    println!("{:<8} {:<28} {:<22} status", "ending", "log file", "stdout");
    for how in ["return", "panic", "exit", "kill"] {
        let log_path = dir.join(format!("{how}.log"));
        let child = Command::new(env::current_exe()?)
            .arg(how)
            .arg(&log_path)
            .output()?;
        let log = fs::read_to_string(&log_path)?;
        let stdout = String::from_utf8_lossy(&child.stdout);
        println!(
            "{how:<8} {:<28} {:<22} {}",
            format!("{log:?}"),
            format!("{stdout:?}"),
            child.status
        );
    }
    Ok(())
}
// ANCHOR_END: parent
