//! What the four designs share before their first connection: the
//! arguments, and for `fs_threads`, `fs_pool` and `fs_epoll` the listening
//! socket and the connection limit (`fileserver` has tokio's).

use std::env;
use std::fs::File;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use nix::sys::resource::{Resource, getrlimit, setrlimit};
use socket2::{Domain, Protocol, Socket, Type};

// ANCHOR: config
/// The options of every design.
pub struct Config {
    pub addr: String,
    /// The directory being served, held open; every path is opened
    /// relative to it with openat2(2).
    pub root: File,
    /// From the first byte of a request to the end of its head (and body),
    /// and between two writes that make progress on a response.
    pub head_timeout: Duration,
    /// How long a kept-alive connection may wait for its next request.
    pub idle_timeout: Duration,
    pub max_connections: usize,
    /// Threads: tokio's workers for `fileserver`, the pool's for `fs_pool`,
    /// event loops for `fs_epoll`; one per core when not given. Ignored by
    /// `fs_threads`.
    pub workers: Option<usize>,
}

/// Parses `ADDR ROOT [--head-timeout SECS] [--idle-timeout SECS]
/// [--max-connections N] [--workers N]`, or says what is wrong, prints the
/// usage and exits with status 2. Raises `RLIMIT_NOFILE` to its hard limit.
pub fn config(program: &str) -> Config {
    let args: Vec<String> = env::args().skip(1).collect();
    parse(&args).unwrap_or_else(|message| {
        eprintln!("{program}: {message}");
        eprintln!(
            "usage: {program} ADDR ROOT [--head-timeout SECS] [--idle-timeout SECS] \
             [--max-connections N] [--workers N]"
        );
        std::process::exit(2);
    })
}

fn parse(args: &[String]) -> Result<Config, String> {
    let [addr, root, options @ ..] = args else {
        return Err("expected ADDR and ROOT".into());
    };
    let root = match File::open(root).and_then(|dir| dir.metadata().map(|meta| (dir, meta))) {
        Ok((dir, meta)) if meta.is_dir() => dir,
        Ok(_) => return Err(format!("{root}: Not a directory")),
        Err(err) => return Err(format!("{root}: {err}")),
    };
    let mut config = Config {
        addr: addr.clone(),
        root,
        head_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(60),
        max_connections: 10_000,
        workers: None,
    };
    let mut options = options.iter();
    while let Some(option) = options.next() {
        let value = options
            .next()
            .ok_or_else(|| format!("{option}: needs a value"))?;
        let seconds = || {
            value
                .parse()
                .ok()
                .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
                .filter(|secs| !secs.is_zero())
                .ok_or_else(|| format!("{option} {value}: not a positive number of seconds"))
        };
        let number = || {
            value
                .parse()
                .ok()
                .filter(|&n: &usize| n > 0)
                .ok_or_else(|| format!("{option} {value}: not a positive number"))
        };
        match option.as_str() {
            "--head-timeout" => config.head_timeout = seconds()?,
            "--idle-timeout" => config.idle_timeout = seconds()?,
            "--max-connections" => config.max_connections = number()?,
            "--workers" => config.workers = Some(number()?),
            _ => return Err(format!("{option}: unknown option")),
        }
    }
    // Each connection is a file descriptor: raise the soft limit (often
    // 1024) to the hard one, so that max_connections can be reached.
    if let Ok((_, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
    }
    Ok(config)
}
// ANCHOR_END: config

/// A listening socket with a backlog of 4096 (as `fileserver`'s), and with
/// `SO_REUSEPORT` if asked: then several sockets may listen on the same
/// port, and the kernel spreads new connections over them.
pub fn listen(addr: &str, reuse_port: bool) -> io::Result<TcpListener> {
    let addr: SocketAddr = addr
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::other("no address"))?;
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.set_reuse_port(reuse_port)?;
    socket.bind(&addr.into())?;
    socket.listen(4096)?;
    Ok(socket.into())
}

/// The number of connections open, shared by every thread.
#[derive(Clone)]
pub struct Slots {
    open: Arc<AtomicUsize>,
    max: usize,
}

/// One connection's place under the limit, given back when dropped.
pub struct Slot(Arc<AtomicUsize>);

impl Slots {
    pub fn new(max: usize) -> Slots {
        Slots {
            open: Arc::new(AtomicUsize::new(0)),
            max,
        }
    }

    /// A slot for `stream`, or `None` after sending it a 503 (best effort:
    /// a non-blocking write, then close).
    pub fn take(&self, stream: &TcpStream) -> Option<Slot> {
        if self.open.fetch_add(1, Ordering::Relaxed) < self.max {
            return Some(Slot(Arc::clone(&self.open)));
        }
        self.open.fetch_sub(1, Ordering::Relaxed);
        let _ = stream.set_nonblocking(true);
        let _ = io::Write::write(&mut &*stream, crate::reply::busy().as_bytes());
        let _ = stream.shutdown(std::net::Shutdown::Write);
        None
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}
