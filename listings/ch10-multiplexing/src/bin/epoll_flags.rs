//! `epoll_flags`: `EPOLLRDHUP` tells a peer's shutdown from ordinary data
//! without a read; `EPOLLONESHOT` reports a descriptor once, then disarms
//! it until `EPOLL_CTL_MOD` arms it again.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::AsFd;

use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

/// Waits at most 100 ms and says what came.
fn wait(epoll: &Epoll) -> io::Result<String> {
    let mut events = [EpollEvent::empty(); 1];
    Ok(match epoll.wait(&mut events, EpollTimeout::from(100u8))? {
        0 => "no event within 100 ms".to_owned(),
        _ => format!("{:?}", events[0].events()),
    })
}

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;

    // ANCHOR: rdhup
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    let flags = EpollFlags::EPOLLIN | EpollFlags::EPOLLRDHUP;
    epoll.add(server.as_fd(), EpollEvent::new(flags, 0))?;
    (&client).write_all(b"data")?;
    println!("after data:      {}", wait(&epoll)?);
    (&server).read_exact(&mut [0u8; 4])?; // nothing left to read now
    client.shutdown(Shutdown::Write)?;
    println!("after FIN:       {}", wait(&epoll)?);
    // ANCHOR_END: rdhup

    // ANCHOR: oneshot
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    let mut once = EpollEvent::new(EpollFlags::EPOLLIN | EpollFlags::EPOLLONESHOT, 0);
    epoll.add(server.as_fd(), once)?;
    (&client).write_all(b"data")?;
    println!("oneshot:         {}", wait(&epoll)?);
    // Nothing was read, and level-triggered it would be reported again;
    // one-shot, it is disarmed.
    println!("oneshot again:   {}", wait(&epoll)?);
    epoll.modify(server.as_fd(), &mut once)?;
    println!("after MOD:       {}", wait(&epoll)?);
    // ANCHOR_END: oneshot
    Ok(())
}
