//! `poll_flags`: poll(2)'s and epoll(7)'s event bits, their values, and
//! which of them the kernel really reports for pipes and sockets.

use std::error::Error;
use std::io::{self, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags};
use nix::sys::socket::{MsgFlags, send};

// ANCHOR: ask
/// Polls one descriptor for `events` (and the three bits poll(2) always
/// reports: POLLERR, POLLHUP, POLLNVAL), without waiting.
fn ask(fd: BorrowedFd<'_>, events: PollFlags) -> nix::Result<PollFlags> {
    let mut fds = [PollFd::new(fd, events)];
    poll(&mut fds, PollTimeout::ZERO)?;
    Ok(fds[0].revents().unwrap_or(PollFlags::empty()))
}
// ANCHOR_END: ask

fn main() -> Result<(), Box<dyn Error>> {
    // ANCHOR: values
    let flags = [
        ("POLLIN", PollFlags::POLLIN),
        ("POLLPRI", PollFlags::POLLPRI),
        ("POLLOUT", PollFlags::POLLOUT),
        ("POLLERR", PollFlags::POLLERR),
        ("POLLHUP", PollFlags::POLLHUP),
        ("POLLNVAL", PollFlags::POLLNVAL),
    ];
    for (name, flag) in flags {
        println!("{name:<8} {:>2} = {:#08b}", flag.bits(), flag.bits());
    }
    // ANCHOR_END: values

    // ANCHOR: pipes
    let both = PollFlags::POLLIN | PollFlags::POLLOUT;
    let (reader, mut writer) = io::pipe()?;
    println!("empty pipe, read end:   {:?}", ask(reader.as_fd(), both)?);
    println!("empty pipe, write end:  {:?}", ask(writer.as_fd(), both)?);
    writer.write_all(b"x")?;
    println!("one byte, read end:     {:?}", ask(reader.as_fd(), both)?);
    drop(writer);
    println!("writer gone, read end:  {:?}", ask(reader.as_fd(), both)?);
    let (reader, writer) = io::pipe()?;
    drop(reader);
    println!("reader gone, write end: {:?}", ask(writer.as_fd(), both)?);
    // ANCHOR_END: pipes

    // ANCHOR: nval
    // A descriptor number that is not open. A BorrowedFd must be open, so
    // this asks with libc's raw struct pollfd.
    let closed = writer.as_raw_fd();
    drop(writer);
    let mut raw = libc::pollfd {
        fd: closed,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, count 1, timeout 0.
    if unsafe { libc::poll(&mut raw, 1, 0) } < 0 {
        return Err(io::Error::last_os_error().into());
    }
    let revents = PollFlags::from_bits_retain(raw.revents);
    println!("closed descriptor:      {revents:?}");
    // ANCHOR_END: nval

    // ANCHOR: pri
    // TCP urgent data, the one thing POLLPRI (and select's third list)
    // reports on a socket.
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    send(client.as_raw_fd(), b"!", MsgFlags::MSG_OOB)?;
    let mut fds = [PollFd::new(
        server.as_fd(),
        PollFlags::POLLIN | PollFlags::POLLPRI,
    )];
    poll(&mut fds, PollTimeout::from(5000u16))?; // it may take a moment to arrive
    println!("TCP urgent byte:        {:?}", fds[0].revents().unwrap());
    // ANCHOR_END: pri

    // ANCHOR: epoll
    let et = EpollFlags::EPOLLET;
    println!(
        "EPOLLIN = {:#x}, EPOLLOUT = {:#x}",
        EpollFlags::EPOLLIN.bits(),
        EpollFlags::EPOLLOUT.bits()
    );
    println!(
        "EPOLLET = {:#x} = {} as an i32, {} as a u32",
        et.bits(),
        et.bits(),
        et.bits() as u32
    );
    let (reader, mut writer) = io::pipe()?;
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    epoll.add(&reader, EpollEvent::new(EpollFlags::EPOLLIN | et, 7))?;
    writer.write_all(b"x")?;
    drop(writer);
    let mut events = [EpollEvent::empty(); 4];
    for _ in 0..2 {
        let n = epoll.wait(&mut events, 0u8)?;
        let got: Vec<_> = events[..n].iter().map(|e| (e.data(), e.events())).collect();
        println!("epoll_wait: {got:?}"); // (token, events)
    }
    // ANCHOR_END: epoll
    Ok(())
}
