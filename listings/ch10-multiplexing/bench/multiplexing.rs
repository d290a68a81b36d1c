//! `cargo xtask bench multiplexing`: what it costs an event loop to watch
//! many connections when only a few are active.
//!
//! For each server and each count of idle connections (10, 100, 1,000 and
//! 10,000), it starts the server afresh, opens that many connections that
//! never send anything, waits until the server holds them all, and then
//! drives 4 active connections in lock-step, 500 times: 64 bytes sent on
//! each, then every echo read back. It reports:
//!
//! - the median time of one such step: 4 messages out, 4 echoes back (µs);
//! - the server's CPU time per round trip (µs): the growth of the first
//!   field of `/proc/<pid>/schedstat` (nanoseconds on a CPU; the servers
//!   have one thread) during the active phase, divided by the round trips.
//!
//! Rounds alternate the servers (A B C A B C …, every server at one level
//! before the next level), and the table shows each
//! measure's median over the rounds (5 by default; `--rounds N`).
//! `--quick` runs one round with 10 and 100 idle connections and 50 round
//! trips per client, for the chapter's tests.
//!
//! `echo_select` cannot watch descriptors at or above `FD_SETSIZE`
//! (1,024): its 10,000-connection cells are left unmeasured (`-`).
//!
//! 10,000 idle connections need 10,000 descriptors here and as many in the
//! server: the suite raises its soft `RLIMIT_NOFILE` to 10,100 (the
//! servers raise theirs to their hard limit), and stops with a message if
//! the hard limit is lower (`ulimit -Hn`). The idle connections are closed
//! with `SO_LINGER` 0 (a reset), so that tens of thousands of closed
//! connections do not hold ephemeral ports in `TIME_WAIT` between cells.

use std::env;
use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{self, Command};
use std::thread;
use std::time::{Duration, Instant};

use echo_suite::Server;
use echo_suite::process::{open_fds, raise_nofile};
use socket2::SockRef;

/// A server in the comparison: the table's row and its binary.
const CONTENDERS: [(&str, &str); 6] = [
    ("select", "echo_select"),
    ("poll", "echo_poll"),
    ("epoll", "echo_epoll"),
    ("epoll (ET)", "echo_epoll_et"),
    ("mio", "echo_mio"),
    ("non-blocking", "echo_nonblocking"),
];

const LEVELS: [usize; 4] = [10, 100, 1000, 10_000];
/// The table's columns: the median round-trip time (RTT) of a step, then
/// the server's CPU time per message, each with 10, 100, 1,000 and 10,000
/// idle connections.
const COLUMNS: [&str; 8] = [
    "RTT at 10 (µs)",
    "RTT at 100 (µs)",
    "RTT at 1,000 (µs)",
    "RTT at 10,000 (µs)",
    "CPU at 10 (µs)",
    "CPU at 100 (µs)",
    "CPU at 1,000 (µs)",
    "CPU at 10,000 (µs)",
];
/// Active clients, each in its own thread.
const ACTIVE: usize = 4;
const MESSAGE: usize = 64;

struct Settings {
    rounds: usize,
    levels: Vec<usize>,
    /// Round trips per active client.
    round_trips: usize,
    quick: bool,
}

fn main() {
    let settings = parse_args();
    let most = *settings.levels.iter().max().unwrap();
    let wanted = (most + 100) as u64;
    match raise_nofile(wanted) {
        Ok(limit) if limit >= wanted => {}
        Ok(limit) => fail(&format!(
            "{most} connections need {wanted} open files; the hard limit is {limit} (ulimit -Hn)"
        )),
        Err(err) => fail(&format!("cannot raise RLIMIT_NOFILE: {err}")),
    }
    let dir = env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| fail("cannot tell where this program is"));
    if !settings.quick {
        build_release();
    }
    let mut table = benchkit::Table::new("model", &COLUMNS);
    // samples[contender][column][round]
    let mut samples = vec![vec![Vec::new(); COLUMNS.len()]; CONTENDERS.len()];
    // Within a round, each level runs every server in turn, so that a busy
    // moment of the machine falls on all of them alike.
    for round in 1..=settings.rounds {
        for (index, &idle) in settings.levels.iter().enumerate() {
            for ((model, bin), samples) in CONTENDERS.iter().zip(&mut samples) {
                if *model == "select" && idle + 2 * ACTIVE >= libc::FD_SETSIZE {
                    continue; // beyond FD_SETSIZE: select cannot watch them
                }
                eprint!("round {round}/{}: {model}, {idle} idle: ", settings.rounds);
                let (latency, cpu) = measure(&dir.join(bin), idle, &settings);
                eprintln!("RTT {latency:.1} µs, CPU {cpu:.2} µs per message");
                samples[index].push(latency);
                samples[LEVELS.len() + index].push(cpu);
            }
        }
    }
    for ((model, _), samples) in CONTENDERS.iter().zip(&mut samples) {
        table.skip(model);
        for (column, runs) in COLUMNS.iter().zip(samples) {
            if !runs.is_empty() {
                table.set(model, column, benchkit::median(runs));
            }
        }
    }
    table.print(settings.rounds);
}

fn parse_args() -> Settings {
    let mut settings = Settings {
        rounds: 5,
        levels: LEVELS.to_vec(),
        round_trips: 500,
        quick: false,
    };
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => settings.quick = true,
            "--rounds" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => settings.rounds = n,
                _ => usage("--rounds needs a positive number"),
            },
            other => usage(&format!("unknown argument {other:?}")),
        }
    }
    if settings.quick {
        settings.rounds = 1;
        settings.levels = vec![10, 100];
        settings.round_trips = 50;
    }
    settings
}

fn usage(why: &str) -> ! {
    eprintln!("{why}\nusage: bench_multiplexing [--quick] [--rounds N]");
    process::exit(2);
}

fn fail(why: &str) -> ! {
    eprintln!("bench_multiplexing: {why}");
    process::exit(1);
}

/// Builds every server in release mode, so that none is measured stale.
fn build_release() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--release", "-p", "ch10-multiplexing"])
        .current_dir(root);
    for (_, bin) in CONTENDERS {
        cmd.args(["--bin", bin]);
    }
    eprintln!("building the servers (release)");
    match cmd.status() {
        Ok(status) if status.success() => {}
        Ok(status) => fail(&format!("building the servers failed ({status})")),
        Err(err) => fail(&format!("cannot run cargo: {err}")),
    }
}

/// Nanoseconds process `pid`'s main thread has spent on a CPU.
fn cpu_ns(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/schedstat"))
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| fail(&format!("cannot read /proc/{pid}/schedstat")))
}

/// One cell: the median round trip and the server's CPU time per round
/// trip, both in µs, with `idle` idle connections open.
fn measure(bin: &Path, idle: usize, settings: &Settings) -> (f64, f64) {
    let server = Server::start(bin.to_str().unwrap(), &[]);
    let addr = server.addr();
    let before = open_fds(server.pid());
    let idle_clients: Vec<TcpStream> = (0..idle)
        .map(|n| {
            TcpStream::connect_timeout(&addr, Duration::from_secs(10))
                .unwrap_or_else(|err| fail(&format!("idle connection {n}: {err}")))
        })
        .collect();
    // Wait until the server has accepted every one: its descriptors.
    let deadline = Instant::now() + Duration::from_secs(60);
    while open_fds(server.pid()) < before + idle {
        if Instant::now() > deadline {
            fail(&format!(
                "{}: {idle} connections not accepted within 60 s",
                bin.display()
            ));
        }
        thread::sleep(Duration::from_millis(5));
    }
    let cpu_before = cpu_ns(server.pid());
    let mut latencies = active_clients(addr, settings.round_trips);
    let cpu = cpu_ns(server.pid()) - cpu_before;
    let round_trips = (latencies.len() * ACTIVE) as f64;
    for stream in &idle_clients {
        // A reset: no TIME_WAIT left holding the port.
        let _ = SockRef::from(stream).set_linger(Some(Duration::ZERO));
    }
    drop(idle_clients);
    drop(server);
    (
        benchkit::median(&mut latencies),
        cpu as f64 / 1e3 / round_trips,
    )
}

/// The active clients: [`ACTIVE`] connections driven in lock-step by this
/// thread, `count` times: send [`MESSAGE`] bytes on each, then read every
/// echo. Returns each step's time in µs. (A client per thread would answer
/// so fast that the server's drain loop often finds its next message
/// already there, and the measure would be of that loop, not of the
/// wait for readiness.)
fn active_clients(addr: SocketAddr, count: usize) -> Vec<f64> {
    let streams: Vec<TcpStream> = (0..ACTIVE)
        .map(|_| {
            let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
                .unwrap_or_else(|err| fail(&format!("active client: {err}")));
            stream.set_nodelay(true).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(60)))
                .unwrap();
            stream
        })
        .collect();
    let message = [b'm'; MESSAGE];
    let mut echo = [0u8; MESSAGE];
    let mut latencies = Vec::with_capacity(count);
    for _ in 0..count {
        let start = Instant::now();
        for stream in &streams {
            (&*stream)
                .write_all(&message)
                .unwrap_or_else(|err| fail(&format!("active client: {err}")));
        }
        for stream in &streams {
            (&*stream)
                .read_exact(&mut echo)
                .unwrap_or_else(|err| fail(&format!("active client: {err}")));
        }
        latencies.push(start.elapsed().as_secs_f64() * 1e6);
    }
    for stream in &streams {
        let _ = SockRef::from(stream).set_linger(Some(Duration::ZERO));
    }
    latencies
}
