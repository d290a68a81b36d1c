//! Exercise 10.3, a reference solution: several threads on one epoll
//! instance, each descriptor registered with `EPOLLONESHOT`.

use std::collections::HashMap;
use std::env;
use std::io;
use std::net::TcpListener;
use std::os::fd::{AsRawFd, RawFd};
use std::process::ExitCode;
use std::sync::Mutex;
use std::thread;

use ch10_multiplexing::{
    AcceptPause, Accepted, Connection, Interest, accept, listen, raise_nofile_limit,
};
use nix::errno::Errno;
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

const PROGRAM: &str = "echo_oneshot";

/// What the threads share.
struct Shared {
    epoll: Epoll,
    listener: TcpListener,
    /// The connections no thread is working on. A thread takes one out
    /// while it pumps it: one-shot registration means no other thread gets
    /// an event for it meanwhile.
    connections: Mutex<HashMap<RawFd, Connection>>,
    pause: Mutex<AcceptPause>,
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let addr = args.first().map_or("127.0.0.1:7878", String::as_str);
    let threads = match args.get(1).map(|n| n.parse::<usize>()) {
        None => 2,
        Some(Ok(n)) if n > 0 => n,
        _ => {
            eprintln!("usage: {PROGRAM} [addr [threads]]  (threads: a positive number)");
            return ExitCode::from(2);
        }
    };
    match run(addr, threads) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{PROGRAM}: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The events to arm a connection with: what it waits for, once.
fn arm(interest: Interest) -> EpollFlags {
    let mut flags = EpollFlags::EPOLLONESHOT;
    flags.set(EpollFlags::EPOLLIN, interest.read);
    flags.set(EpollFlags::EPOLLOUT, interest.write);
    flags
}

fn listener_flags() -> EpollFlags {
    EpollFlags::EPOLLIN | EpollFlags::EPOLLONESHOT
}

fn run(addr: &str, threads: usize) -> io::Result<()> {
    raise_nofile_limit()?;
    let listener = listen(addr)?;
    listener.set_nonblocking(true)?;
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
    let key = listener.as_raw_fd() as u64;
    epoll.add(&listener, EpollEvent::new(listener_flags(), key))?;
    let shared = Shared {
        epoll,
        listener,
        connections: Mutex::new(HashMap::new()),
        pause: Mutex::new(AcceptPause::default()),
    };
    let addr = shared.listener.local_addr()?;
    // The main thread is one of the workers. Announce the address once
    // they all exist.
    thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|| work(&shared));
        }
        println!("listening on {addr}");
        work(&shared)
    })
}

fn work(shared: &Shared) -> io::Result<()> {
    let listener_key = shared.listener.as_raw_fd() as u64;
    let mut events = [EpollEvent::empty(); 16];
    loop {
        let timeout = match shared.pause.lock().unwrap().timeout() {
            Some(wait) => EpollTimeout::try_from(wait).unwrap_or(EpollTimeout::MAX),
            None => EpollTimeout::NONE,
        };
        let ready = match shared.epoll.wait(&mut events, timeout) {
            Ok(ready) => ready,
            Err(Errno::EINTR) => continue,
            Err(err) => return Err(err.into()),
        };
        let resume = {
            let mut pause = shared.pause.lock().unwrap();
            pause.timeout().is_some() && pause.accepting()
        };
        if resume {
            rearm_listener(shared)?;
        }
        for event in &events[..ready] {
            if event.data() == listener_key {
                accept_all(shared)?;
            } else {
                serve(shared, event.data() as RawFd)?;
            }
        }
    }
}

fn rearm_listener(shared: &Shared) -> io::Result<()> {
    let key = shared.listener.as_raw_fd() as u64;
    let mut event = EpollEvent::new(listener_flags(), key);
    shared.epoll.modify(&shared.listener, &mut event)?;
    Ok(())
}

/// Accepts until the queue is drained, then re-arms the listener; or, out
/// of descriptors, leaves it disarmed for the pause.
fn accept_all(shared: &Shared) -> io::Result<()> {
    loop {
        match accept(PROGRAM, &shared.listener) {
            Accepted::Client(stream) => {
                let fd = stream.as_raw_fd();
                // In the map before it is armed: its first event may go to
                // another thread at once (which then waits for the lock).
                let mut connections = shared.connections.lock().unwrap();
                let connection = connections.entry(fd).or_insert(Connection::new(stream));
                let event = EpollEvent::new(arm(connection.interest()), fd as u64);
                shared.epoll.add(&connection.stream, event)?;
            }
            Accepted::Drained => return rearm_listener(shared),
            Accepted::Pause => {
                shared.pause.lock().unwrap().start();
                return Ok(());
            }
        }
    }
}

/// Pumps one connection, outside the lock, then re-arms or closes it.
fn serve(shared: &Shared, fd: RawFd) -> io::Result<()> {
    let Some(mut connection) = shared.connections.lock().unwrap().remove(&fd) else {
        return Ok(());
    };
    match connection.pump() {
        Ok(Some(interest)) => {
            let mut event = EpollEvent::new(arm(interest), fd as u64);
            let mut connections = shared.connections.lock().unwrap();
            let stream = &connections.entry(fd).or_insert(connection).stream;
            shared.epoll.modify(stream, &mut event)?;
        }
        result => {
            if let Err(err) = result {
                eprintln!("{PROGRAM}: connection: {err}");
            }
            drop(connection); // closes it, and takes it out of the epoll set
            let paused = shared.pause.lock().unwrap().timeout().is_some();
            if paused {
                shared.pause.lock().unwrap().end();
                rearm_listener(shared)?;
            }
        }
    }
    Ok(())
}
