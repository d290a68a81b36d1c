//! `pipe_child [LINES]`: feeds LINES lines (default 200000) to `tr a-z A-Z`
//! through its standard input and reads its standard output, both pipes.

use std::env;
use std::io::{self, BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::thread;

fn main() -> io::Result<()> {
    let lines: usize = match env::args().nth(1) {
        Some(n) => n.parse().map_err(io::Error::other)?,
        None => 200_000,
    };
    // ANCHOR: spawn
    let mut child = Command::new("tr")
        .args(["a-z", "A-Z"])
        .stdin(Stdio::piped()) // a pipe: we hold the write end
        .stdout(Stdio::piped()) // another: we hold the read end
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");

    // Write from another thread while this one reads. Writing everything
    // first would deadlock once both pipes are full: tr blocks writing
    // to us, so it stops reading, so we block writing to it.
    let feeder = thread::spawn(move || -> io::Result<usize> {
        let mut sent = 0;
        for n in 1..=lines {
            let line = format!("line {n}\n");
            stdin.write_all(line.as_bytes())?;
            sent += line.len();
        }
        Ok(sent) // `stdin` is dropped here: tr reads end of file
    });

    let (mut received, mut first, mut last) = (0, String::new(), String::new());
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        received += line.len() + 1;
        if first.is_empty() {
            first = line.clone();
        }
        last = line;
    }
    let sent = feeder.join().expect("the feeder thread panicked")?;
    let status = child.wait()?;
    // ANCHOR_END: spawn
    println!("sent {sent} bytes, received {received} bytes");
    println!("first line {first:?}, last line {last:?}");
    println!("tr: {status}");
    Ok(())
}
