//! `cargo xtask bench async`: tasks against threads, on one machine, in one
//! run. Four contenders: this chapter's hand-made executor, tokio's
//! `current_thread` and `multi_thread` runtimes, and OS threads.
//!
//! - **Idle memory**: a child process starts 10,000 idle tasks (each
//!   asleep on a one-hour timer) or 10,000 idle threads (each in
//!   `thread::sleep`), and reports how much its resident memory (RSS) grew,
//!   and how much the kernel's `KernelStack` + `PageTables` grew (the
//!   machine's totals from `/proc/meminfo`: a busy machine blurs them).
//!   Both per task or thread, in KiB.
//! - **Switch**: two tasks (or threads) pass a number back and forth
//!   through a pair of one-slot channels; the time per hand-off, in µs.
//!   For tasks: `tokio::sync::mpsc` with room for one; on the hand-made
//!   executor, a one-value slot with a waker (below); for threads,
//!   `std::sync::mpsc::sync_channel(1)`.
//! - **Echo**: the throughput (MB/s) of `echo_handmade`, `echo_tokio` in
//!   each flavour and chapter 9's `echo_threads` with 10, 100 and 1,000
//!   clients, with chapter 9's load generator (4 KiB messages, each sent
//!   when the last one came back, 40,000 round trips per level).
//!
//! A fifth row, `python asyncio`, runs `python/bench_asyncio.py` with the
//! `python3` on `PATH` for the memory and hand-off columns (asyncio tasks
//! and two `asyncio.Queue(1)`s); without python3 it is left unmeasured.
//!
//! Rounds alternate the contenders and the table shows medians (5 rounds,
//! `--rounds N`). `--quick` runs one small round (1,000 idle, 2,000
//! hand-offs, at most 100 clients) with the binaries next to this one,
//! building nothing: a server not built there is left out, with a note.

use std::cell::{Cell, RefCell};
use std::env;
use std::path::{Path, PathBuf};
use std::process::{self, Command, Stdio};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use ch09_servers::load::{self, Config};
use ch11_async::{executor, reactor};
use echo_suite::Server;
use echo_suite::process::raise_nofile;

/// The rows, besides the Python peer's.
const CONTENDERS: [&str; 4] = [
    "hand-made",
    "tokio current_thread",
    "tokio multi_thread",
    "threads",
];
/// The Python peer's row, and its program, run with `python3 -c`.
const PYTHON: &str = "python asyncio";
const PYTHON_SCRIPT: &str = include_str!("../python/bench_asyncio.py");

/// The columns.
const IDLE: &str = "memory per idle (KiB)";
const KERNEL: &str = "kernel per idle (KiB)";
const SWITCH: &str = "hand-off (µs)";
const LEVELS: [(usize, &str); 3] = [
    (10, "10 clients (MB/s)"),
    (100, "100 clients (MB/s)"),
    (1000, "1,000 clients (MB/s)"),
];

/// The echo server of each row: package, binary, arguments after the
/// address.
fn server_of(
    contender: &str,
) -> (&'static str, &'static str, &'static [&'static str]) {
    match contender {
        "hand-made" => ("ch11-async", "echo_handmade", &[]),
        "tokio current_thread" => {
            ("ch11-async", "echo_tokio", &["current_thread"])
        }
        "tokio multi_thread" => ("ch11-async", "echo_tokio", &["multi_thread"]),
        _ => ("ch09-servers", "echo_threads", &[]),
    }
}

struct Settings {
    quick: bool,
    rounds: usize,
    idle: usize,
    hand_offs: usize,
    round_trips: usize,
    max_clients: usize,
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    if let [mode, contender, count] = &args[..]
        && mode == "--idle-child"
    {
        idle_child(contender, count.parse().expect("a count"));
        return;
    }
    let settings = parse_args(&args);
    match raise_nofile(2048) {
        Ok(limit) if limit >= 2048 => {}
        Ok(limit) => fail(&format!(
            "1,000 clients need 2,048 open files; the hard limit is {limit} (ulimit -Hn)"
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
    let mut columns = vec![IDLE, KERNEL, SWITCH];
    columns.extend(LEVELS.iter().map(|(_, name)| *name));
    let mut table = benchkit::Table::new("contender", &columns);
    // samples[contender][column][round]
    let mut samples = vec![vec![Vec::new(); columns.len()]; CONTENDERS.len()];
    let python = have_python();
    let mut python_samples = (Vec::new(), Vec::new());
    for round in 1..=settings.rounds {
        if python {
            eprintln!("round {round}/{}: {PYTHON}", settings.rounds);
            let (memory, hand_off) =
                python_asyncio(settings.idle, settings.hand_offs);
            python_samples.0.push(memory);
            python_samples.1.push(hand_off);
        }
        for (contender, samples) in CONTENDERS.iter().zip(&mut samples) {
            eprintln!("round {round}/{}: {contender}", settings.rounds);
            let (memory, kernel) = idle_memory(contender, settings.idle);
            samples[0].push(memory);
            samples[1].push(kernel);
            samples[2].push(hand_off(contender, settings.hand_offs));
            let (_, bin, _) = server_of(contender);
            if !dir.join(bin).is_file() {
                continue;
            }
            for (column, (clients, _)) in LEVELS.iter().enumerate() {
                let clients = (*clients).min(settings.max_clients);
                samples[3 + column]
                    .push(echo(&dir, contender, clients, &settings));
            }
        }
    }
    for (contender, samples) in CONTENDERS.iter().zip(&mut samples) {
        table.skip(contender);
        for (column, runs) in columns.iter().zip(samples) {
            if !runs.is_empty() {
                table.set(contender, column, benchkit::median(runs));
            }
        }
        let (_, bin, _) = server_of(contender);
        if !dir.join(bin).is_file() {
            eprintln!(
                "note: {bin} not built in {}: its echo left out",
                dir.display()
            );
        }
    }
    table.skip(PYTHON);
    if python {
        table.set(PYTHON, IDLE, benchkit::median(&mut python_samples.0));
        table.set(PYTHON, SWITCH, benchkit::median(&mut python_samples.1));
    }
    table.print(settings.rounds);
}

/// True if `python3` runs; otherwise says how to install it.
fn have_python() -> bool {
    let found = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        eprintln!(
            "note: python3 not found: its row is left unmeasured (apt-get install python3)"
        );
    }
    found
}

/// Runs the Python peer: (KiB per idle task, µs per hand-off).
fn python_asyncio(count: usize, hand_offs: usize) -> (f64, f64) {
    let out = Command::new("python3")
        .args(["-c", PYTHON_SCRIPT])
        .args([count.to_string(), hand_offs.to_string()])
        .output()
        .unwrap_or_else(|err| fail(&format!("cannot run python3: {err}")));
    let text = String::from_utf8_lossy(&out.stdout);
    let numbers: Vec<f64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [started, rss, each] = numbers[..] else {
        fail(&format!(
            "python3 said {text:?} ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ))
    };
    eprintln!(
        "  {started} idle: RSS +{:.1} MiB; hand-off: {each:.3} µs",
        rss / 1024.0 / 1024.0
    );
    (rss / started / 1024.0, each)
}

fn parse_args(args: &[String]) -> Settings {
    let mut settings = Settings {
        quick: false,
        rounds: 5,
        idle: 10_000,
        hand_offs: 20_000,
        round_trips: 40_000,
        max_clients: 1000,
    };
    let mut args = args.iter();
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
        settings.idle = 1000;
        settings.hand_offs = 2000;
        settings.round_trips = 1000;
        settings.max_clients = 100;
    }
    settings
}

fn usage(why: &str) -> ! {
    eprintln!("{why}\nusage: bench_async [--quick] [--rounds N]");
    process::exit(2);
}

fn fail(why: &str) -> ! {
    eprintln!("bench_async: {why}");
    process::exit(1);
}

/// Builds every echo server in release mode, so that none is measured
/// stale.
fn build_release() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building the servers (release)");
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "-p",
            "ch11-async",
            "-p",
            "ch09-servers",
        ])
        .args([
            "--bin",
            "echo_handmade",
            "--bin",
            "echo_tokio",
            "--bin",
            "echo_threads",
        ])
        .current_dir(root)
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => fail(&format!("building the servers failed ({status})")),
        Err(err) => fail(&format!("cannot run cargo: {err}")),
    }
}

// ---------------------------------------------------------------- memory

/// Runs a child that starts `count` idle tasks or threads; returns what
/// each costs: (RSS, kernel), in KiB.
fn idle_memory(contender: &str, count: usize) -> (f64, f64) {
    let exe = env::current_exe()
        .unwrap_or_else(|err| fail(&format!("current_exe: {err}")));
    let child = Command::new(exe)
        .args(["--idle-child", contender, &count.to_string()])
        .stdout(Stdio::piped())
        .output()
        .unwrap_or_else(|err| {
            fail(&format!("cannot start the idle child: {err}"))
        });
    let text = String::from_utf8_lossy(&child.stdout);
    let numbers: Vec<f64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [started, rss, kernel] = numbers[..] else {
        fail(&format!(
            "{contender}: the idle child said {text:?} ({})",
            child.status
        ))
    };
    if started < count as f64 {
        eprintln!("  note: only {started} of {count} {contender} started");
    }
    eprintln!(
        "  {started} idle: RSS +{:.1} MiB, kernel +{:.1} MiB",
        rss / 1024.0 / 1024.0,
        kernel / 1024.0 / 1024.0
    );
    (rss / started / 1024.0, kernel / started / 1024.0)
}

/// In the child: starts `count` idle tasks or threads, each asleep for an
/// hour, and prints how many started and what memory grew by (bytes).
/// Then exits, which ends them all.
fn idle_child(contender: &str, count: usize) {
    let (rss_before, kernel_before) = (rss(), kernel_memory());
    let started = Arc::new(AtomicUsize::new(0));
    let hour = Duration::from_secs(3600);
    let measure = |started: usize| {
        println!(
            "{started} {} {}",
            rss().saturating_sub(rss_before),
            kernel_memory().saturating_sub(kernel_before)
        );
        process::exit(0);
    };
    match contender {
        "hand-made" => executor::block_on(async {
            for _ in 0..count {
                let started = started.clone();
                executor::spawn(async move {
                    started.fetch_add(1, Ordering::Relaxed);
                    reactor::sleep(hour).await;
                });
            }
            while started.load(Ordering::Relaxed) < count {
                executor::yield_now().await;
            }
            measure(count);
        }),
        "threads" => {
            let mut handles = Vec::new();
            for _ in 0..count {
                let started = started.clone();
                let spawned = thread::Builder::new().spawn(move || {
                    started.fetch_add(1, Ordering::Relaxed);
                    thread::sleep(hour);
                });
                match spawned {
                    Ok(handle) => handles.push(handle),
                    Err(err) => {
                        eprintln!("  thread {}: {err}", handles.len());
                        break;
                    }
                }
            }
            while started.load(Ordering::Relaxed) < handles.len() {
                thread::sleep(Duration::from_millis(1));
            }
            measure(handles.len());
        }
        flavour => {
            let runtime = runtime(flavour);
            runtime.block_on(async {
                for _ in 0..count {
                    let started = started.clone();
                    tokio::spawn(async move {
                        started.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(hour).await;
                    });
                }
                while started.load(Ordering::Relaxed) < count {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                measure(count);
            })
        }
    }
}

fn runtime(contender: &str) -> tokio::runtime::Runtime {
    let mut builder = if contender == "tokio current_thread" {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    builder
        .enable_all()
        .build()
        .unwrap_or_else(|err| fail(&format!("building the runtime: {err}")))
}

/// This process's resident memory, in bytes (`/proc/self/statm`).
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// `KernelStack` + `PageTables` of `/proc/meminfo`, in bytes.
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

// ---------------------------------------------------------------- switch

/// Passes a number back and forth `count` times between two tasks or
/// threads; returns the time per hand-off in µs.
fn hand_off(contender: &str, count: usize) -> f64 {
    let elapsed = match contender {
        "hand-made" => executor::block_on(hand_made_ping_pong(count)),
        "threads" => thread_ping_pong(count),
        flavour => runtime(flavour).block_on(tokio_ping_pong(count)),
    };
    let each = elapsed.as_secs_f64() * 1e6 / (2 * count) as f64;
    eprintln!("  hand-off: {each:.3} µs");
    each
}

async fn tokio_ping_pong(count: usize) -> Duration {
    let (to_pong, mut from_ping) = tokio::sync::mpsc::channel::<usize>(1);
    let (to_ping, mut from_pong) = tokio::sync::mpsc::channel::<usize>(1);
    let pong = tokio::spawn(async move {
        while let Some(n) = from_ping.recv().await {
            if to_ping.send(n + 1).await.is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    for n in 0..count {
        to_pong.send(n).await.unwrap();
        assert_eq!(from_pong.recv().await, Some(n + 1));
    }
    let elapsed = start.elapsed();
    drop(to_pong);
    pong.await.unwrap();
    elapsed
}

fn thread_ping_pong(count: usize) -> Duration {
    let (to_pong, from_ping) = std::sync::mpsc::sync_channel::<usize>(1);
    let (to_ping, from_pong) = std::sync::mpsc::sync_channel::<usize>(1);
    let pong = thread::spawn(move || {
        for n in from_ping {
            if to_ping.send(n + 1).is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    for n in 0..count {
        to_pong.send(n).unwrap();
        assert_eq!(from_pong.recv(), Ok(n + 1));
    }
    let elapsed = start.elapsed();
    drop(to_pong);
    pong.join().unwrap();
    elapsed
}

/// A one-value channel for the hand-made executor: `send` stores the
/// value and wakes the receiver; `recv` takes it or parks its waker.
#[derive(Default)]
struct Slot {
    value: Cell<Option<usize>>,
    waiter: RefCell<Option<Waker>>,
}

impl Slot {
    fn send(&self, value: usize) {
        self.value.set(Some(value));
        if let Some(waker) = self.waiter.take() {
            waker.wake();
        }
    }

    async fn recv(&self) -> usize {
        std::future::poll_fn(|cx| match self.value.take() {
            Some(value) => Poll::Ready(value),
            None => {
                *self.waiter.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            }
        })
        .await
    }
}

async fn hand_made_ping_pong(count: usize) -> Duration {
    let (to_pong, to_ping) =
        (Rc::new(Slot::default()), Rc::new(Slot::default()));
    {
        let (to_pong, to_ping) = (to_pong.clone(), to_ping.clone());
        executor::spawn(async move {
            for _ in 0..count {
                let n = to_pong.recv().await;
                to_ping.send(n + 1);
            }
        });
    }
    let start = Instant::now();
    for n in 0..count {
        to_pong.send(n);
        assert_eq!(to_ping.recv().await, n + 1);
    }
    start.elapsed()
}

// ---------------------------------------------------------------- echo

/// One level of the echo: MB/s with `clients` clients.
fn echo(
    dir: &Path,
    contender: &str,
    clients: usize,
    settings: &Settings,
) -> f64 {
    let (_, bin, args) = server_of(contender);
    let mut cmd = Command::new(dir.join(bin));
    cmd.arg("127.0.0.1:0").args(args);
    let server = Server::start_command(&mut cmd);
    let config = Config {
        addr: server.addr(),
        connections: clients,
        messages: (settings.round_trips / clients).max(1),
        size: 4096,
        timeout: Duration::from_secs(120),
    };
    let report = load::run(&config).unwrap_or_else(|err| {
        fail(&format!("{contender} with {clients} clients: {err}"))
    });
    eprintln!(
        "  {clients:>5} clients: {:>8.1} MB/s",
        report.megabytes_per_second()
    );
    report.megabytes_per_second()
}
