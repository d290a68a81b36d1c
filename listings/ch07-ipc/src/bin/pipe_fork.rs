//! `pipe_fork`: a child writes three lines into a pipe; its parent reads
//! them, and then end of file.

use std::io::{self, Read, Write};

use ch07_ipc::{fork_child, wait_child};

fn main() -> io::Result<()> {
    // ANCHOR: pipe
    let (mut reader, writer) = io::pipe()?; // pipe2(2): [read end, write end]
    let child = fork_child(|| {
        // The child has its own copy of both ends. It writes through its
        // copy of the write end, and its copies close when it exits.
        let mut writer = &writer;
        for n in 1..=3 {
            if writeln!(writer, "message {n} from the child").is_err() {
                return 1;
            }
        }
        0
    })?;
    // The parent never writes: close its copy of the write end now, or
    // the read below never sees end of file.
    drop(writer);

    let mut text = String::new();
    let n = reader.read_to_string(&mut text)?; // reads until end of file
    print!("{text}");
    println!("read {n} bytes, then end of file");
    println!("child exited with status {}", wait_child(child)?);
    // ANCHOR_END: pipe
    Ok(())
}
