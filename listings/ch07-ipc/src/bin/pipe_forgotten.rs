//! `pipe_forgotten`: the parent keeps its write end open, so its reader
//! never sees end of file; a one-second poll shows it without hanging.

use std::io::{self, BufRead, BufReader, Write};
use std::os::fd::AsFd;

use ch07_ipc::{fork_child, wait_child};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

/// What poll(2) reports for `reader` within `millis` milliseconds.
fn poll_for(reader: &impl AsFd, millis: u16) -> io::Result<PollFlags> {
    let mut fds = [PollFd::new(reader.as_fd(), PollFlags::POLLIN)];
    match poll(&mut fds, PollTimeout::from(millis))? {
        0 => Ok(PollFlags::empty()), // timed out: nothing to read, no end
        _ => Ok(fds[0].revents().unwrap_or(PollFlags::empty())),
    }
}

fn main() -> io::Result<()> {
    // ANCHOR: forgotten
    let (reader, writer) = io::pipe()?;
    let child = fork_child(|| match writeln!(&writer, "the only message") {
        Ok(()) => 0,
        Err(_) => 1,
    })?;
    println!("child exited with status {}", wait_child(child)?);
    // The child is gone, and with it its write end. Ours is still open.

    let mut reader = BufReader::new(reader);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    print!("read: {line}");
    if poll_for(reader.get_ref(), 1000)?.is_empty() {
        println!("poll, 1 s: nothing to read, and no end of file");
    }

    drop(writer); // the last write end: now the kernel can report the end
    if poll_for(reader.get_ref(), 1000)?.contains(PollFlags::POLLHUP) {
        println!("poll after drop(writer): POLLHUP, the last writer is gone");
    }
    line.clear();
    let n = reader.read_line(&mut line)?;
    println!("read returned {n}: end of file");
    // ANCHOR_END: forgotten
    Ok(())
}
