// ANCHOR: short
//! Shows a short write for real: one `write` of 1 MiB into a pipe that
//! holds 64 KiB, then `write_all` finishing the job while a reader drains.

use std::io::{self, ErrorKind, Read, Write};
use std::thread;

use nix::fcntl::{FcntlArg, OFlag, fcntl};

fn main() -> io::Result<()> {
    let (mut reader, mut writer) = io::pipe()?;
    let data = vec![b'x'; 1024 * 1024];

    let capacity = fcntl(&writer, FcntlArg::F_GETPIPE_SZ)?;
    println!("the pipe holds {capacity} bytes; nobody is reading yet");
    // Non-blocking: a full pipe makes write return at once instead of waiting.
    fcntl(&writer, FcntlArg::F_SETFL(OFlag::O_NONBLOCK))?;

    let written = writer.write(&data)?;
    println!("write(1 MiB) returned {written}: a short write");
    match writer.write(&data[written..]) {
        Err(err) if err.kind() == ErrorKind::WouldBlock => {
            println!("write(rest) failed: {err}");
        }
        other => println!("write(rest) returned {other:?}"),
    }
    // ANCHOR_END: short

    // ANCHOR: write_all
    fcntl(&writer, FcntlArg::F_SETFL(OFlag::empty()))?; // blocking again
    let drain = thread::spawn(move || {
        let mut received = Vec::new();
        reader.read_to_end(&mut received).map(|_| received.len())
    });
    writer.write_all(&data[written..])?; // loops until every byte is in
    println!(
        "write_all(rest) wrote the other {} bytes",
        data.len() - written
    );
    drop(writer); // close: the reader sees end of file
    let received = drain.join().expect("the reader thread panicked")?;
    println!("the reader received {received} bytes in all");
    Ok(())
}
// ANCHOR_END: write_all
