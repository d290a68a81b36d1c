//! `blocking`: what blocks. `accept` waits for a client, `read` for bytes,
//! `sleep` for time; a regular file never waits for "readiness": poll
//! calls it ready at once, and `O_NONBLOCK` changes nothing for it.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::os::unix::fs::OpenOptionsExt;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

const LATER: Duration = Duration::from_millis(100);

/// Runs `call` and says whether it returned at once or waited (for part
/// of LATER at least: the other thread's clock started before ours, and a
/// busy machine may run this thread late).
fn timed<T>(what: &str, call: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    let start = Instant::now();
    let result = call()?;
    let waited = if start.elapsed() >= LATER / 4 {
        "waited"
    } else {
        "returned at once"
    };
    println!("{what:<42} {waited}");
    Ok(result)
}

fn main() -> io::Result<()> {
    // ANCHOR: socket
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    // A client that connects 100 ms after we say "go", and writes 100 ms
    // after that.
    let (go, wait_for_go) = mpsc::channel();
    let client = thread::spawn(move || -> io::Result<()> {
        let _ = wait_for_go.recv();
        thread::sleep(LATER);
        let mut stream = TcpStream::connect(addr)?;
        thread::sleep(LATER);
        stream.write_all(b"hi")
    });
    let _ = go.send(());
    let (mut stream, _) = timed("accept (until a client connects)", || listener.accept())?;
    let mut buffer = [0u8; 2];
    timed("read (until the client sends)", || {
        stream.read_exact(&mut buffer)
    })?;
    timed("sleep (until the time is up)", || {
        thread::sleep(LATER);
        Ok(())
    })?;
    client.join().unwrap()?;
    // ANCHOR_END: socket

    // ANCHOR: file
    let path = std::env::temp_dir().join(format!("blocking-{}", std::process::id()));
    File::create(&path)?.write_all(&vec![b'x'; 1 << 20])?;
    let mut file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&path)?;
    std::fs::remove_file(&path)?;
    let mut fds = [PollFd::new(
        file.as_fd(),
        PollFlags::POLLIN | PollFlags::POLLOUT,
    )];
    poll(&mut fds, PollTimeout::NONE)?;
    println!("poll on a regular file: {:?}", fds[0].revents().unwrap());
    let mut contents = Vec::new();
    file.read_to_end(&mut contents)?; // never WouldBlock: it waits for the disk
    println!("O_NONBLOCK read of a 1 MiB file: {} bytes", contents.len());
    // ANCHOR_END: file
    Ok(())
}
