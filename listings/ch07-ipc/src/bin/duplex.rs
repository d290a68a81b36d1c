//! `duplex`: one socket pair, both directions. The parent sends a request
//! and half-closes; the child answers on the same descriptor pair.

use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::os::unix::net::UnixStream;

use ch07_ipc::{fork_child, wait_child};

// ANCHOR: child
/// The child: read the whole request, answer with it in capitals.
fn serve(mut stream: &UnixStream) -> io::Result<()> {
    let mut request = String::new();
    stream.read_to_string(&mut request)?; // until the parent's shutdown
    write!(
        stream,
        "{} ({} bytes)",
        request.to_uppercase(),
        request.len()
    )?;
    Ok(())
}
// ANCHOR_END: child

fn main() -> io::Result<()> {
    // ANCHOR: pair
    let (mut parent_end, child_end) = UnixStream::pair()?; // socketpair(2)
    let child = fork_child(|| match serve(&child_end) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("child: {err}");
            1
        }
    })?;
    drop(child_end); // the parent's copy: only the child talks through it

    parent_end.write_all(b"hello from the parent")?;
    // shutdown acts on the socket, not on this descriptor: the child sees
    // end of file although its copy of `parent_end` is still open.
    parent_end.shutdown(Shutdown::Write)?;
    let mut answer = String::new();
    parent_end.read_to_string(&mut answer)?;
    println!("the child answered: {answer}");
    println!("child exited with status {}", wait_child(child)?);
    // ANCHOR_END: pair
    Ok(())
}
