//! The load generator behind `echo_load` and the `servers` benchmark: many
//! connections at once, each sending messages and checking their echoes.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

/// The largest message: the client writes a whole message before it reads
/// the echo, so a message must fit in the kernel's socket buffers, or client
/// and server would both block in `write`, each waiting for the other to
/// read. 64 KiB fits in the buffers of a loopback connection.
pub const MAX_SIZE: usize = 64 * 1024;
/// At most this many connections.
pub const MAX_CONNECTIONS: usize = 10_000;
/// At most this many messages in one run, so the latencies kept in memory
/// stay bounded (8 bytes each).
pub const MAX_MESSAGES: usize = 10_000_000;

/// What to send.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Connections open at the same time, one thread each.
    pub connections: usize,
    /// Messages per connection, each sent once its predecessor came back.
    pub messages: usize,
    /// Bytes per message.
    pub size: usize,
    /// The whole run must finish within this time.
    pub timeout: Duration,
}

impl Config {
    /// Checks the bounds above.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=MAX_CONNECTIONS).contains(&self.connections) {
            return Err(format!("connections must be 1 to {MAX_CONNECTIONS}"));
        }
        if !(1..=MAX_SIZE).contains(&self.size) {
            return Err(format!("the message size must be 1 to {MAX_SIZE} bytes"));
        }
        if self.messages == 0 || self.connections.saturating_mul(self.messages) > MAX_MESSAGES {
            return Err(format!(
                "messages must be at least 1, and at most {MAX_MESSAGES} in all"
            ));
        }
        Ok(())
    }
}

/// What a run measured.
pub struct Report {
    pub config: Config,
    /// From the moment every connection was open to the last echo.
    pub elapsed: Duration,
    /// Round-trip times in nanoseconds: from the first byte of a message
    /// written to the last byte of its echo read.
    pub latency: Histogram<u64>,
}

impl Report {
    /// Bytes echoed (each counted once, not once per direction).
    pub fn bytes(&self) -> u64 {
        self.latency.len() * self.config.size as u64
    }

    /// Megabytes (10⁶ bytes) echoed per second.
    pub fn megabytes_per_second(&self) -> f64 {
        self.bytes() as f64 / 1e6 / self.elapsed.as_secs_f64()
    }

    /// The round-trip time below which a fraction `quantile` of them fall.
    pub fn latency_at(&self, quantile: f64) -> Duration {
        Duration::from_nanos(self.latency.value_at_quantile(quantile))
    }
}

// ANCHOR: report
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.config;
        writeln!(
            f,
            "{} connections × {} messages × {} bytes to {}",
            config.connections, config.messages, config.size, config.addr
        )?;
        let seconds = self.elapsed.as_secs_f64();
        writeln!(
            f,
            "echoed {:.1} MB in {seconds:.2} s: {:.1} MB/s, {:.0} round trips/s",
            self.bytes() as f64 / 1e6,
            self.megabytes_per_second(),
            self.latency.len() as f64 / seconds,
        )?;
        let ms = |quantile: f64| self.latency_at(quantile).as_secs_f64() * 1e3;
        writeln!(
            f,
            "round trip: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, p99.9 {:.3} ms, max {:.3} ms",
            ms(0.5),
            ms(0.9),
            ms(0.99),
            ms(0.999),
            ms(1.0)
        )
    }
}
// ANCHOR_END: report

/// Why a run failed: how many connections failed, and the first reason.
#[derive(Debug)]
pub struct LoadError {
    pub failed: usize,
    pub of: usize,
    pub first: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} connections failed; the first: {}",
            self.failed, self.of, self.first
        )
    }
}

impl std::error::Error for LoadError {}

// ANCHOR: run
/// Opens `config.connections` connections, waits until all are open, then
/// runs them at the same time and collects every round-trip time.
pub fn run(config: &Config) -> Result<Report, LoadError> {
    let deadline = Instant::now() + config.timeout;
    // The threads and this one meet here once every connection is open, so
    // the clock starts when all of them can send.
    let start = Arc::new(Barrier::new(config.connections + 1));
    let mut clients = Vec::with_capacity(config.connections);
    for id in 0..config.connections {
        let (config, start) = (config.clone(), Arc::clone(&start));
        let spawned = thread::Builder::new()
            .stack_size(128 * 1024) // the buffers are on the heap
            .spawn(move || client(id, &config, &start, deadline));
        match spawned {
            Ok(handle) => clients.push(handle),
            Err(err) => panic!("cannot start client thread {id}: {err}"),
        }
    }
    start.wait();
    let started = Instant::now();
    let mut latency = Histogram::<u64>::new(3).expect("3 significant figures is valid");
    let mut errors = Vec::new();
    for handle in clients {
        match handle.join().expect("a client thread panicked") {
            Ok(round_trips) => {
                for nanos in round_trips {
                    latency
                        .record(nanos)
                        .expect("an auto-resizing histogram takes any value");
                }
            }
            Err(err) => errors.push(err),
        }
    }
    let elapsed = started.elapsed();
    if let Some(first) = errors.first() {
        return Err(LoadError {
            failed: errors.len(),
            of: config.connections,
            first: first.clone(),
        });
    }
    Ok(Report {
        config: config.clone(),
        elapsed,
        latency,
    })
}
// ANCHOR_END: run

// ANCHOR: client
/// One connection: connect, wait for the others, then send each message,
/// read its echo back and check it. Returns the round-trip times.
fn client(
    id: usize,
    config: &Config,
    start: &Barrier,
    deadline: Instant,
) -> Result<Vec<u64>, String> {
    let connected = connect(config, deadline);
    start.wait(); // also when the connect failed: nobody may wait for us
    let mut stream = connected.map_err(|err| format!("connection {id}: connect: {err}"))?;
    // Different bytes on every connection and in every message, so that a
    // server that mixes up clients or reorders bytes is caught.
    let pattern: Vec<u8> = (0..2 * config.size)
        .map(|i| (i.wrapping_mul(31) ^ id.wrapping_mul(97)) as u8)
        .collect();
    let mut echo = vec![0u8; config.size];
    let mut round_trips = Vec::with_capacity(config.messages);
    for message in 0..config.messages {
        if Instant::now() > deadline {
            return Err(format!(
                "connection {id}: timed out after {message} messages"
            ));
        }
        let offset = message % config.size;
        let sent = &pattern[offset..offset + config.size];
        let began = Instant::now();
        let result = stream
            .write_all(sent)
            .and_then(|()| stream.read_exact(&mut echo));
        round_trips.push(began.elapsed().as_nanos() as u64);
        result.map_err(|err| format!("connection {id}, message {message}: {err}"))?;
        if echo != sent {
            return Err(format!(
                "connection {id}, message {message}: the echo differs from what was sent"
            ));
        }
    }
    Ok(round_trips)
}

fn connect(config: &Config, deadline: Instant) -> io::Result<TcpStream> {
    let left = deadline.saturating_duration_since(Instant::now());
    let stream = TcpStream::connect_timeout(&config.addr, left.max(Duration::from_millis(1)))?;
    // Each message goes out at once, without waiting on Nagle's algorithm.
    stream.set_nodelay(true)?;
    // A server that stops answering cannot hang the run past its deadline.
    stream.set_read_timeout(Some(left.max(Duration::from_millis(1))))?;
    stream.set_write_timeout(Some(left.max(Duration::from_millis(1))))?;
    Ok(stream)
}
// ANCHOR_END: client
