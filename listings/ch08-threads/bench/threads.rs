//! `cargo xtask bench threads`: does a second thread make a job faster?
//!
//! The same two jobs run on 1, 2 and 4 threads in Rust, on 1, 2 and 4
//! threads in Python (`threading`), and on 2 and 4 processes in Python
//! (`multiprocessing`):
//!
//! - the CPU job: 16 tasks of many rounds of a 64-bit xorshift generator,
//!   reported in nanoseconds per round. Python runs 500 000 rounds per
//!   task, Rust 40 times as many, so that both take a good fraction of a
//!   second; each must produce the checksum Rust computes for its size;
//! - the I/O job: 16 requests to a loopback server that answers each after
//!   25 ms, a stand-in for a slow network peer.
//!
//! Python is found on PATH; without it, its rows are left unmeasured.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, ExitCode};
use std::thread;
use std::time::{Duration, Instant};

use benchkit::{Options, Table};

/// How big the jobs are.
#[derive(Clone, Copy)]
struct Sizes {
    tasks: u64,
    /// Rounds per task, in Rust and in Python.
    rust_iterations: u64,
    python_iterations: u64,
    requests: u64,
    delay: Duration,
}

// ANCHOR: cpu_job
/// One task of the CPU job: `iterations` rounds of xorshift64.
fn task(seed: u64, iterations: u64) -> u64 {
    let mut x = seed;
    for _ in 0..iterations {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}

/// The CPU job on `threads` threads: thread `i` runs tasks `i`,
/// `i + threads`, … The result is the XOR of every task's result.
fn cpu_job(threads: u64, tasks: u64, iterations: u64) -> u64 {
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|i| {
                scope.spawn(move || {
                    (i..tasks)
                        .step_by(threads as usize)
                        .map(|t| task(t + 1, iterations))
                        .fold(0, |acc, x| acc ^ x)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap())
            .fold(0, |acc, x| acc ^ x)
    })
}
// ANCHOR_END: cpu_job

// ANCHOR: io_job
/// One request: connect, send a line, read the reply to its end.
fn request(port: u16) -> io::Result<()> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.write_all(b"ping\n")?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply)?;
    assert_eq!(reply, b"pong\n");
    Ok(())
}

/// The I/O job on `threads` threads, each making its share of the requests
/// one after another. A thread blocked in `read` waits without using a CPU.
fn io_job(threads: u64, sizes: Sizes, port: u16) {
    thread::scope(|scope| {
        for i in 0..threads {
            scope.spawn(move || {
                for _ in (i..sizes.requests).step_by(threads as usize) {
                    request(port).expect("the slow server answers");
                }
            });
        }
    });
}

/// The slow peer: a thread per connection answers each line after `delay`.
fn slow_server(delay: Duration) -> io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || -> io::Result<()> {
                let mut line = String::new();
                BufReader::new(&stream).read_line(&mut line)?;
                thread::sleep(delay); // the network's latency, simulated
                (&stream).write_all(b"pong\n")
            });
        }
    });
    Ok(port)
}
// ANCHOR_END: io_job

// ANCHOR: python
/// The same two jobs in Python: `python3 -c PYTHON MODEL K TASKS ITERATIONS
/// REQUESTS PORT` runs the CPU job, then the I/O job, and prints the
/// seconds each took and the CPU job's checksum.
const PYTHON: &str = r#"
import socket, sys, threading, time
from multiprocessing import get_context

MASK = (1 << 64) - 1

def task(seed, iterations):
    x = seed
    for _ in range(iterations):
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
    return x

def request(port):
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(b"ping\n")
        reply = b""
        while chunk := conn.recv(64):
            reply += chunk
    assert reply == b"pong\n"

def share(i, k, job, tasks, iterations, requests, port):
    result = 0
    if job == "cpu":
        for t in range(i, tasks, k):
            result ^= task(t + 1, iterations)
    else:
        for _ in range(i, requests, k):
            request(port)
    return result

def run(model, job, k, *sizes):
    """Runs `job` on k threads or processes; returns (seconds, checksum)."""
    args = [(i, k, job, *sizes) for i in range(k)]
    start = time.perf_counter()
    if model == "threading":
        results = [0] * k
        def worker(i):
            results[i] = share(*args[i])
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(k)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        with get_context("fork").Pool(k) as pool:
            results = pool.starmap(share, args)
    elapsed = time.perf_counter() - start
    checksum = 0
    for r in results:
        checksum ^= r
    return elapsed, checksum

model = sys.argv[1]
k, *sizes = map(int, sys.argv[2:])
cpu_seconds, checksum = run(model, "cpu", k, *sizes)
io_seconds, _ = run(model, "io", k, *sizes)
print(cpu_seconds, checksum, io_seconds)
"#;
// ANCHOR_END: python

/// A row of the table: who runs the jobs, on how many threads or processes.
#[derive(Clone, Copy)]
enum Runner {
    Rust,
    PythonThreads,
    PythonProcesses,
}

#[derive(Clone, Copy)]
struct Row {
    runner: Runner,
    k: u64,
}

impl Row {
    /// "Rust, 2 threads", "Python, 2 threads" (threading), "Python, 2
    /// processes" (multiprocessing): short enough for the chart's labels.
    fn name(&self) -> String {
        let (who, unit) = match self.runner {
            Runner::Rust => ("Rust", "thread"),
            Runner::PythonThreads => ("Python", "thread"),
            Runner::PythonProcesses => ("Python", "process"),
        };
        let plural = match (self.k, unit) {
            (1, _) => "",
            (_, "process") => "es",
            _ => "s",
        };
        format!("{who}, {} {unit}{plural}", self.k)
    }
}

/// What one run of a row measured.
struct Sample {
    cpu_ns_per_round: f64,
    checksum: u64,
    io_seconds: f64,
}

/// Runs both jobs once as `row` says.
fn measure(row: Row, sizes: Sizes, port: u16) -> Result<Sample, String> {
    let model = match row.runner {
        Runner::Rust => {
            let start = Instant::now();
            let checksum = cpu_job(row.k, sizes.tasks, sizes.rust_iterations);
            let rounds = sizes.tasks * sizes.rust_iterations;
            let cpu_ns_per_round = ns_per_round(start.elapsed(), rounds);
            let start = Instant::now();
            io_job(row.k, sizes, port);
            let io_seconds = start.elapsed().as_secs_f64();
            return Ok(Sample {
                cpu_ns_per_round,
                checksum,
                io_seconds,
            });
        }
        Runner::PythonThreads => "threading",
        Runner::PythonProcesses => "multiprocessing",
    };
    let numbers = [
        row.k,
        sizes.tasks,
        sizes.python_iterations,
        sizes.requests,
        u64::from(port),
    ];
    let out = Command::new("python3")
        .args(["-c", PYTHON, model])
        .args(numbers.map(|n| n.to_string()))
        .output()
        .map_err(|err| format!("python3: {err}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "python3 failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let fields: Vec<&str> = text.split_whitespace().collect();
    let parsed = match fields.as_slice() {
        [cpu, checksum, io] => cpu
            .parse()
            .ok()
            .zip(checksum.parse().ok())
            .zip(io.parse().ok()),
        _ => None,
    };
    let ((cpu_seconds, checksum), io_seconds) =
        parsed.ok_or_else(|| format!("python3 printed {text:?}"))?;
    let rounds = sizes.tasks * sizes.python_iterations;
    Ok(Sample {
        cpu_ns_per_round: ns_per_round(
            Duration::from_secs_f64(cpu_seconds),
            rounds,
        ),
        checksum,
        io_seconds,
    })
}

/// 0 for Rust, 1 for Python: whose 1-thread row is the baseline.
fn family(row: &Row) -> usize {
    usize::from(!matches!(row.runner, Runner::Rust))
}

fn ns_per_round(elapsed: Duration, rounds: u64) -> f64 {
    elapsed.as_secs_f64() * 1e9 / rounds as f64
}

fn python_found() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

fn main() -> ExitCode {
    let opts = Options::from_args();
    let sizes = opts.pick(
        Sizes {
            tasks: 16,
            rust_iterations: 20_000_000,
            python_iterations: 500_000,
            requests: 16,
            delay: Duration::from_millis(25),
        },
        Sizes {
            tasks: 4,
            rust_iterations: 100_000,
            python_iterations: 5_000,
            requests: 4,
            delay: Duration::from_millis(2),
        },
    );
    match run(&opts, sizes) {
        Ok(table) => {
            table.print(opts.rounds);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("bench_threads: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(opts: &Options, sizes: Sizes) -> Result<Table, String> {
    let cores = thread::available_parallelism().map_or(1, usize::from);
    eprintln!("bench_threads: {cores} CPUs available to this process");
    let port = slow_server(sizes.delay)
        .map_err(|err| format!("slow server: {err}"))?;
    let mut rows = Vec::new();
    for k in [1, 2, 4] {
        rows.push(Row {
            runner: Runner::Rust,
            k,
        });
    }
    let python = python_found();
    let python_rows: Vec<Row> = [1, 2, 4]
        .map(|k| Row {
            runner: Runner::PythonThreads,
            k,
        })
        .into_iter()
        .chain([2, 4].map(|k| Row {
            runner: Runner::PythonProcesses,
            k,
        }))
        .collect();
    if python {
        rows.extend(&python_rows);
    } else {
        eprintln!(
            "note: python3 is not on PATH, so the Python rows are not measured. \
             Install it (Debian, Ubuntu: apt-get install python3) and run again."
        );
    }

    // The checksum each language must compute for its number of rounds.
    let expected = [
        cpu_job(1, sizes.tasks, sizes.rust_iterations),
        cpu_job(1, sizes.tasks, sizes.python_iterations),
    ];
    let mut error = None;
    // One run of a row measures both jobs: the CPU times are what
    // `alternate` collects, the I/O times are kept on the side.
    let mut io = vec![Vec::new(); rows.len()];
    let cpu = benchkit::alternate(&rows, opts.rounds, |row| {
        eprintln!("bench_threads: {} …", row.name());
        let index = rows.iter().position(|r| r.name() == row.name()).unwrap();
        match measure(*row, sizes, port) {
            Ok(sample) => {
                let want = expected[family(row)];
                if sample.checksum != want {
                    error.get_or_insert(format!(
                        "{} computed {}, expected {want}",
                        row.name(),
                        sample.checksum
                    ));
                }
                io[index].push(sample.io_seconds);
                sample.cpu_ns_per_round
            }
            Err(err) => {
                error.get_or_insert(err);
                f64::NAN
            }
        }
    });
    if let Some(err) = error {
        return Err(err);
    }

    let columns = ["CPU job (ns/round)", "CPU speed-up", "I/O job (s)"];
    let mut table = Table::new("runner", &columns);
    let mut baseline = [None, None]; // Rust and Python, 1 thread
    for ((row, mut cpu), mut io) in rows.iter().zip(cpu).zip(io) {
        let name = row.name();
        let cpu = benchkit::median(&mut cpu);
        let one = *baseline[family(row)].get_or_insert(cpu);
        table.set(&name, columns[0], cpu);
        table.set(&name, columns[1], one / cpu);
        table.set(&name, columns[2], benchkit::median(&mut io));
    }
    if !python {
        for row in &python_rows {
            table.skip(&row.name());
        }
    }
    Ok(table)
}
