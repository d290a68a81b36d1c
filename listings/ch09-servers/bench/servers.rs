//! `cargo xtask bench servers`: every echo server of Part IV under the same
//! load, on the same machine, in one run.
//!
//! For each server model it measures, with the load generator of Listing
//! 9-9 (`ch09_servers::load`, 4 KiB messages, each sent when the previous
//! one has come back):
//!
//! - throughput (MB/s echoed) with 1, 10, 100 and 1,000 clients connected at
//!   once, the same 40,000 round trips in all at each level;
//! - the 99th-percentile round trip at 100 and at 1,000 clients (the
//!   median and the maximum go to standard error);
//! - the memory the server uses with 1,000 idle connections open: the PSS
//!   of all its processes (`/proc/<pid>/smaps_rollup`), so that pages a
//!   forked child shares with its parent count once; and what the kernel
//!   spent on it meanwhile, outside any process's PSS: thread stacks and
//!   page tables (`KernelStack` + `PageTables` in `/proc/meminfo`, the
//!   machine's totals, so a busy machine blurs them).
//!
//! Rounds alternate the servers (A B C A B C …) and the table shows each
//! measure's median over the rounds (5 by default; `--rounds N`). Each
//! round starts every server afresh. `--quick` runs one tiny round, for
//! the chapter's tests, with at most 100 clients at once (its last column
//! is not 1,000 clients) and 100 idle connections.
//!
//! 1,000 connections need 1,000 descriptors in this process and as many in
//! the server: the suite raises its soft `RLIMIT_NOFILE` to 2,024 (the
//! connections and 1,024 to spare; the servers inherit it), and stops with
//! a message if the hard limit is lower (`ulimit -Hn`).
//!
//! # Adding a server
//!
//! Add a line to [`CONTENDERS`]: the row's name, the package and the binary.
//! The suite builds every listed binary in release mode (`cargo build
//! --release -p PACKAGE --bin BINARY`) before it measures, then runs it from
//! `target/release` with `127.0.0.1:0` and the listed arguments; it must
//! print `listening on <addr>` and echo, like every Part IV server. In quick
//! mode nothing is built: a binary missing from the suite's own directory is
//! left out, with a note.

use std::collections::BTreeSet;
use std::env;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{self, Command};
use std::time::{Duration, Instant};

use ch09_servers::load::{self, Config};
use echo_suite::Server;
use echo_suite::process::{pss, raise_nofile};

/// A server in the comparison.
struct Contender {
    /// The table's row.
    model: &'static str,
    /// The package that builds it.
    package: &'static str,
    /// The binary, in `target/release`.
    bin: &'static str,
    /// Arguments after the address.
    args: &'static [&'static str],
}

/// Every server compared. Chapters 10 and 11 append theirs.
const CONTENDERS: &[Contender] = &[
    Contender {
        model: "iterative",
        package: "ch09-servers",
        bin: "echo_iterative",
        args: &[],
    },
    Contender {
        model: "fork",
        package: "ch09-servers",
        bin: "echo_fork",
        args: &[],
    },
    Contender {
        model: "threads",
        package: "ch09-servers",
        bin: "echo_threads",
        args: &[],
    },
    Contender {
        model: "pool",
        package: "ch09-servers",
        bin: "echo_pool",
        args: &[],
    },
];

const LEVELS: [usize; 4] = [1, 10, 100, 1000];
/// The table's columns. Its width is the page's: the memory columns are
/// measured with 1,000 idle connections, as the page says.
const COLUMNS: [&str; 8] = [
    "1 client (MB/s)",
    "10 clients (MB/s)",
    "100 clients (MB/s)",
    "1,000 clients (MB/s)",
    "p99 at 100 (ms)",
    "p99 at 1,000 (ms)",
    "memory (MiB)",
    "kernel memory (MiB)",
];
const MESSAGE: usize = 4096;

struct Settings {
    quick: bool,
    rounds: usize,
    /// Round trips per level, shared among the clients.
    round_trips: usize,
    /// The most clients at once: the levels above it run with this many
    /// (only in quick mode, where 1,000 client threads would take seconds).
    max_clients: usize,
    idle: usize,
}

fn main() {
    let settings = parse_args();
    let wanted = settings.idle as u64 + 1024;
    match raise_nofile(wanted) {
        Ok(limit) if limit >= wanted => {}
        Ok(limit) => fail(&format!(
            "{} connections need {wanted} open files; the hard limit is {limit} (ulimit -Hn)",
            settings.idle
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
    let mut present = Vec::new();
    let mut table = benchkit::Table::new("model", &COLUMNS);
    for contender in CONTENDERS {
        if dir.join(contender.bin).is_file() {
            present.push(contender);
        } else {
            eprintln!(
                "note: {} not built in {}: left out",
                contender.bin,
                dir.display()
            );
            table.skip(contender.model);
        }
    }
    // samples[contender][column][round]
    let mut samples = vec![vec![Vec::new(); COLUMNS.len()]; present.len()];
    for round in 1..=settings.rounds {
        for (contender, samples) in present.iter().zip(&mut samples) {
            eprintln!("round {round}/{}: {}", settings.rounds, contender.model);
            let measured = measure(&dir.join(contender.bin), contender, &settings);
            for (column, value) in samples.iter_mut().zip(measured) {
                column.push(value);
            }
        }
    }
    for (contender, samples) in present.iter().zip(&mut samples) {
        for (column, runs) in COLUMNS.iter().zip(samples) {
            table.set(contender.model, column, benchkit::median(runs));
        }
    }
    table.print(settings.rounds);
}

fn parse_args() -> Settings {
    let mut settings = Settings {
        quick: false,
        rounds: 5,
        round_trips: 40_000,
        max_clients: 1000,
        idle: 1000,
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
        settings.round_trips = 1000;
        settings.max_clients = 100;
        settings.idle = 100;
    }
    settings
}

fn usage(why: &str) -> ! {
    eprintln!("{why}\nusage: bench_servers [--quick] [--rounds N]");
    process::exit(2);
}

fn fail(why: &str) -> ! {
    eprintln!("bench_servers: {why}");
    process::exit(1);
}

/// Builds every contender in release mode, so that none is measured stale.
fn build_release() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--release"]).current_dir(root);
    let packages: BTreeSet<&str> = CONTENDERS.iter().map(|c| c.package).collect();
    for package in packages {
        cmd.args(["--package", package]);
    }
    for contender in CONTENDERS {
        cmd.args(["--bin", contender.bin]);
    }
    eprintln!("building the servers (release)");
    match cmd.status() {
        Ok(status) if status.success() => {}
        Ok(status) => fail(&format!("building the servers failed ({status})")),
        Err(err) => fail(&format!("cannot run cargo: {err}")),
    }
}

/// One round of one server: every column, in [`COLUMNS`]' order.
fn measure(bin: &Path, contender: &Contender, settings: &Settings) -> Vec<f64> {
    let mut cmd = Command::new(bin);
    cmd.arg("127.0.0.1:0").args(contender.args);
    let server = Server::start_command(&mut cmd);
    let mut values = Vec::new();
    let mut latencies = Vec::new();
    for clients in LEVELS {
        let clients = clients.min(settings.max_clients);
        let config = Config {
            addr: server.addr(),
            connections: clients,
            messages: (settings.round_trips / clients).max(1),
            size: MESSAGE,
            timeout: Duration::from_secs(120),
        };
        let report = load::run(&config).unwrap_or_else(|err| {
            fail(&format!(
                "{} with {clients} clients: {err}",
                contender.model
            ))
        });
        let ms = |quantile| report.latency_at(quantile).as_secs_f64() * 1e3;
        eprintln!(
            "  {clients:>5} clients: {:>8.1} MB/s, p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            report.megabytes_per_second(),
            ms(0.5),
            ms(0.99),
            ms(1.0)
        );
        values.push(report.megabytes_per_second());
        if clients >= 100 {
            latencies.push(ms(0.99));
        }
    }
    values.extend(latencies);
    let (user, kernel) = idle_memory(&server, settings.idle);
    values.push(user as f64 / (1 << 20) as f64);
    values.push(kernel as f64 / (1 << 20) as f64);
    values
}

/// Opens `count` connections that each send one byte and then stay idle,
/// and returns, once the server has settled, its memory (PSS, bytes) and
/// how much the kernel's thread stacks and page tables grew meanwhile
/// (bytes; the whole machine's, so other programs can blur it).
fn idle_memory(server: &Server, count: usize) -> (u64, u64) {
    let before = pss(server.pid());
    let kernel_before = kernel_memory();
    let clients: Vec<TcpStream> = (0..count)
        .map(|n| {
            let stream = TcpStream::connect_timeout(&server.addr(), Duration::from_secs(10))
                .unwrap_or_else(|err| fail(&format!("idle connection {n}: {err}")));
            (&stream)
                .write_all(b"?")
                .unwrap_or_else(|err| fail(&format!("idle connection {n}: {err}")));
            stream.set_nonblocking(true).unwrap();
            stream
        })
        .collect();
    let served = await_echoes(&clients, server.addr());
    let after = pss(server.pid());
    let kernel = kernel_memory().saturating_sub(kernel_before);
    eprintln!(
        "  {count} idle: {served} being served, memory {:.1} MiB (before: {:.1} MiB), kernel +{:.1} MiB",
        after as f64 / (1 << 20) as f64,
        before as f64 / (1 << 20) as f64,
        kernel as f64 / (1 << 20) as f64
    );
    (after, kernel)
}

/// `KernelStack` + `PageTables` of `/proc/meminfo`, in bytes: what every
/// thread (a kernel stack) and every process (its page tables) costs the
/// kernel, beyond the memory a process's PSS shows.
fn kernel_memory() -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let (key, rest) = line.split_once(':')?;
            let kib: u64 = rest.split_whitespace().next()?.parse().ok()?;
            matches!(key, "KernelStack" | "PageTables").then_some(kib * 1024)
        })
        .sum()
}

/// Waits until every client has its byte back, or no new echo has arrived
/// for 300 ms (a server that serves a few at a time has settled). Returns
/// how many were echoed.
fn await_echoes(clients: &[TcpStream], addr: SocketAddr) -> usize {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut echoed = vec![false; clients.len()];
    let mut count = 0;
    let mut last = Instant::now();
    while count < clients.len() && last.elapsed() < Duration::from_millis(300) {
        if Instant::now() > deadline {
            fail(&format!(
                "{addr}: idle connections still not settled after 60 s"
            ));
        }
        let mut fds: Vec<libc::pollfd> = clients
            .iter()
            .zip(&echoed)
            .map(|(stream, done)| libc::pollfd {
                fd: if *done { -1 } else { stream.as_raw_fd() },
                events: libc::POLLIN,
                revents: 0,
            })
            .collect();
        // SAFETY: `fds` is a valid array of `fds.len()` pollfds.
        unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, 50) };
        for ((fd, stream), done) in fds.iter().zip(clients).zip(&mut echoed) {
            if fd.revents == 0 {
                continue;
            }
            match (&*stream).read(&mut [0u8]) {
                Ok(1) => {
                    *done = true;
                    count += 1;
                    last = Instant::now();
                }
                Err(err) if err.kind() == ErrorKind::WouldBlock => {}
                other => fail(&format!("{addr}: an idle connection ended: {other:?}")),
            }
        }
    }
    count
}
