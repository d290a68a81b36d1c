//! `epoll_triggers`: the same 10 bytes read 4 at a time, once with a
//! level-triggered registration and once edge-triggered. Level-triggered
//! epoll reports the socket while bytes remain; edge-triggered reports it
//! once per arrival, and the 6 bytes left after one read go unreported.

use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;

use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

// ANCHOR: demo
/// Writes 10 bytes into a socket, registers its other end with `flags`,
/// then waits (at most 100 ms each time) and reads 4 bytes per event,
/// until a wait times out.
fn run(label: &str, flags: EpollFlags) -> io::Result<()> {
    println!("{label}:");
    let (mut writer, mut reader) = UnixStream::pair()?;
    reader.set_nonblocking(true)?;
    writer.write_all(b"0123456789")?;
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    // Registered after the bytes arrived: epoll_ctl checks readiness, so
    // the first wait reports them in either mode.
    epoll.add(reader.as_fd(), EpollEvent::new(flags, 0))?;
    let mut unread = 10;
    let mut events = [EpollEvent::empty(); 1];
    for _ in 0..6 {
        let ready = epoll.wait(&mut events, EpollTimeout::from(100u8))?;
        if ready == 0 {
            println!("  no event within 100 ms, {unread} bytes unread");
            if unread == 0 {
                return Ok(());
            }
            // A new arrival is a new edge.
            writer.write_all(b"!")?;
            unread += 1;
            println!("  1 more byte arrives");
            continue;
        }
        let mut chunk = [0u8; 4];
        let n = reader.read(&mut chunk)?;
        unread -= n;
        println!(
            "  event {:?}: read {n} bytes, {unread} unread",
            events[0].events()
        );
    }
    Ok(())
}

fn main() -> io::Result<()> {
    run("level-triggered", EpollFlags::EPOLLIN)?;
    run("edge-triggered", EpollFlags::EPOLLIN | EpollFlags::EPOLLET)
}
// ANCHOR_END: demo
