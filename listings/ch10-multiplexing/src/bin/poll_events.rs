//! `poll_events`: the `POLL*` constants with their values, then what
//! `poll(2)` reports in `revents` for a hung-up pipe, a pipe whose reader
//! is gone, a closed descriptor, a TCP peer's FIN and a TCP reset.

use std::io::{self, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::time::Duration;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::unistd::pipe;
use socket2::SockRef;

// ANCHOR: table
/// Every flag poll(2) knows on Linux, as nix names it. POLLRDHUP is
/// Linux-only and nix 0.32 has no name for it: libc does.
const FLAGS: [(&str, PollFlags); 11] = [
    ("POLLIN", PollFlags::POLLIN),
    ("POLLPRI", PollFlags::POLLPRI),
    ("POLLOUT", PollFlags::POLLOUT),
    ("POLLERR", PollFlags::POLLERR),
    ("POLLHUP", PollFlags::POLLHUP),
    ("POLLNVAL", PollFlags::POLLNVAL),
    ("POLLRDNORM", PollFlags::POLLRDNORM),
    ("POLLRDBAND", PollFlags::POLLRDBAND),
    ("POLLWRNORM", PollFlags::POLLWRNORM),
    ("POLLWRBAND", PollFlags::POLLWRBAND),
    ("POLLRDHUP", PollFlags::from_bits_retain(libc::POLLRDHUP)),
];
// ANCHOR_END: table

/// Polls one descriptor for `events`, without waiting longer than a
/// second, and returns the flags set in `revents`, by name.
fn revents(fd: BorrowedFd, events: PollFlags) -> io::Result<String> {
    let mut fds = [PollFd::new(fd, events)];
    poll(&mut fds, PollTimeout::from(1000u16))?;
    // PollFd::revents() is None when the kernel sets a bit nix has no
    // name for (POLLRDHUP): read the bits through the C struct instead.
    // SAFETY: PollFd is a transparent wrapper around libc::pollfd.
    let raw: &libc::pollfd = unsafe { &*(fds.as_ptr() as *const libc::pollfd) };
    Ok(names(PollFlags::from_bits_retain(raw.revents)))
}

fn names(flags: PollFlags) -> String {
    let names: Vec<&str> = FLAGS
        .iter()
        .filter(|(_, flag)| flags.contains(*flag))
        .map(|(name, _)| *name)
        .collect();
    if names.is_empty() {
        "nothing".to_owned()
    } else {
        names.join(" | ")
    }
}

fn main() -> io::Result<()> {
    println!("{:<10} {:>6} {:>5}", "flag", "hex", "value");
    for (name, flag) in FLAGS {
        println!("{name:<10} {:>#6x} {:>5}", flag.bits(), flag.bits());
    }
    println!();

    // ANCHOR: hangups
    let asked = PollFlags::POLLIN | PollFlags::POLLOUT;
    // A pipe whose write end is closed: the reader sees a hang-up.
    let (reader, writer) = pipe()?;
    drop(writer);
    println!("pipe, writer closed:   {}", revents(reader.as_fd(), asked)?);
    // A pipe whose read end is closed: writing would fail (EPIPE).
    let (reader, writer) = pipe()?;
    drop(reader);
    println!("pipe, reader closed:   {}", revents(writer.as_fd(), asked)?);
    // A descriptor number that is not open: nix's PollFd needs a live
    // descriptor (BorrowedFd), so ask libc directly.
    let closed = writer.as_raw_fd();
    drop(writer);
    let mut raw = libc::pollfd {
        fd: closed,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd; poll only reads its fd and writes revents.
    unsafe { libc::poll(&mut raw, 1, 0) };
    println!(
        "descriptor not open:   {}",
        names(PollFlags::from_bits_retain(raw.revents))
    );
    // ANCHOR_END: hangups

    // ANCHOR: tcp
    let rdhup = PollFlags::from_bits_retain(libc::POLLRDHUP);
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    client.shutdown(Shutdown::Write)?; // FIN: the peer has no more to say
    revents(server.as_fd(), PollFlags::POLLIN)?; // wait until it is here
    println!(
        "tcp, peer sent FIN:    {}",
        revents(server.as_fd(), asked | rdhup)?
    );
    server.shutdown(Shutdown::Write)?; // and neither do we: both ways shut
    println!(
        "tcp, both shut down:   {}",
        revents(server.as_fd(), asked | rdhup)?
    );

    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    (&client).write_all(b"x")?;
    SockRef::from(&client).set_linger(Some(Duration::ZERO))?;
    drop(client); // close with SO_LINGER 0: RST
    revents(server.as_fd(), PollFlags::POLLERR)?; // wait until it is here
    println!(
        "tcp, peer reset:       {}",
        revents(server.as_fd(), asked | rdhup)?
    );
    // ANCHOR_END: tcp
    Ok(())
}
