//! `cargo xtask bench chat`: both chat servers under the same load.
//!
//! For 10, 100 and 1,000 clients in the room, ten of them talk: each sends
//! 200,000 / (10 × (clients − 1)) messages (about 200,000 deliveries in
//! all at every size), keeping at most 8 of its messages on their way (a
//! message is on its way until every other client has it: at most 80
//! lines wait for any client, far below the server's queue of 1,024, so
//! nobody is cut off). Every message carries the time it was sent; every
//! client reads with one tokio task, and the time from send to arrival is
//! its delivery latency. The table shows:
//!
//! - deliveries per second (a message to 999 others is 999 deliveries);
//! - the delivery latency's median and 99th percentile;
//! - the server's resident memory and thread count with 1,000 clients in.
//!
//! Rounds alternate the servers and each measure is the median over the
//! rounds (5; `--rounds N`). `--quick` runs one round with 10, 20 and 40
//! clients in place of 10, 100 and 1,000, for the chapter's tests.

use std::env;
use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{self, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use echo_suite::Server;
use echo_suite::process::raise_nofile;
use tokio::io::AsyncBufReadExt;

/// The servers compared: the table's row and the binary.
const SERVERS: &[(&str, &str)] = &[
    ("threads (chat_threads)", "chat_threads"),
    ("tokio (chat_server)", "chat_server"),
];

const TALKERS: usize = 10;
const WINDOW: usize = 8;
const DELIVERIES: usize = 200_000;

const COLUMNS: [&str; 11] = [
    "10 clients (deliveries/s)",
    "100 clients (deliveries/s)",
    "1,000 clients (deliveries/s)",
    "p50 at 10 (ms)",
    "p50 at 100 (ms)",
    "p50 at 1,000 (ms)",
    "p99 at 10 (ms)",
    "p99 at 100 (ms)",
    "p99 at 1,000 (ms)",
    "memory at 1,000 (MB)",
    "threads at 1,000",
];

fn main() {
    let opts = benchkit::Options::from_args();
    let sizes = opts.pick([10, 100, 1000], [10, 20, 40]);
    let deliveries = opts.pick(DELIVERIES, 2_000);
    // Each client is a descriptor here and up to three in a thread server.
    match raise_nofile(4 * 1000 + 64) {
        Ok(limit) if limit >= 4064 => {}
        Ok(limit) => fail(&format!(
            "1,000 clients need 4,064 open files; the limit is {limit}"
        )),
        Err(err) => fail(&format!("cannot raise RLIMIT_NOFILE: {err}")),
    }
    let dir = env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| fail("cannot tell where this program is"));
    if !opts.quick {
        build_release();
    }
    let names: Vec<&str> = SERVERS.iter().map(|(row, _)| *row).collect();
    let samples = benchkit::alternate(&names, opts.rounds, |&row| {
        let (_, bin) = SERVERS.iter().find(|(name, _)| *name == row).unwrap();
        let mut values = Vec::new();
        let mut latencies = Vec::new();
        let mut memory = (0.0, 0.0);
        for (index, &clients) in sizes.iter().enumerate() {
            eprintln!("{row}: {clients} clients");
            let run = measure(&dir.join(bin), clients, deliveries);
            values.push(run.rate);
            latencies.push((run.p50, run.p99));
            if index == sizes.len() - 1 {
                memory = (run.rss_mb, run.threads);
            }
        }
        values.extend(latencies.iter().map(|l| l.0));
        values.extend(latencies.iter().map(|l| l.1));
        values.extend([memory.0, memory.1]);
        // benchkit::alternate takes one number per round: keep the rest.
        ROUND.lock().unwrap().push((row.to_owned(), values));
        0.0
    });
    drop(samples);
    let mut table = benchkit::Table::new("server", &COLUMNS);
    let rounds = ROUND.lock().unwrap();
    for row in &names {
        for (column_index, column) in COLUMNS.iter().enumerate() {
            let mut runs: Vec<f64> = rounds
                .iter()
                .filter(|(name, _)| name == row)
                .map(|(_, values)| values[column_index])
                .collect();
            table.set(row, column, benchkit::median(&mut runs));
        }
    }
    table.print(opts.rounds);
}

/// Every measure of every round, by row.
static ROUND: Mutex<Vec<(String, Vec<f64>)>> = Mutex::new(Vec::new());

fn fail(why: &str) -> ! {
    eprintln!("bench_chat: {why}");
    process::exit(1);
}

fn build_release() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--release", "--package", "ch14-chat"])
        .current_dir(root);
    for (_, bin) in SERVERS {
        cmd.args(["--bin", bin]);
    }
    eprintln!("building the servers (release)");
    match cmd.status() {
        Ok(status) if status.success() => {}
        Ok(status) => fail(&format!("building the servers failed ({status})")),
        Err(err) => fail(&format!("cannot run cargo: {err}")),
    }
}

struct Run {
    rate: f64,
    p50: f64,
    p99: f64,
    rss_mb: f64,
    threads: f64,
}

/// One server, `clients` clients, about `deliveries` deliveries.
fn measure(bin: &Path, clients: usize, deliveries: usize) -> Run {
    let bin = bin.to_str().expect("a UTF-8 path");
    let server = Server::start(bin, &[]);
    let addr = server.addr();
    // Join one at a time, each waiting for its welcome.
    let streams: Vec<TcpStream> = (0..clients).map(|i| join(addr, i)).collect();
    let talkers = TALKERS.min(clients);
    let per_talker = (deliveries / (talkers * (clients - 1))).max(1);
    let base = Instant::now();

    // done[talker][seq]: how many clients have that message; the client
    // that completes it tells the talker, which may then send another.
    let done: Arc<Vec<Vec<AtomicUsize>>> = Arc::new(
        (0..talkers)
            .map(|_| (0..per_talker).map(|_| AtomicUsize::new(0)).collect())
            .collect(),
    );
    let (acks, ack_receivers): (Vec<_>, Vec<_>) = (0..talkers).map(|_| mpsc::channel()).unzip();
    let writers: Vec<TcpStream> = streams[..talkers]
        .iter()
        .map(|stream| stream.try_clone().unwrap())
        .collect();

    // Every client reads with a task on one thread: the clients cost the
    // same whichever server they talk to.
    let readers = {
        let done = Arc::clone(&done);
        thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(read_all(streams, done, acks, base, clients))
        })
    };

    let start = Instant::now();
    let talking: Vec<_> = writers
        .into_iter()
        .zip(ack_receivers)
        .map(|(mut stream, acked)| {
            thread::spawn(move || {
                for seq in 0..per_talker {
                    if seq >= WINDOW {
                        acked
                            .recv_timeout(Duration::from_secs(60))
                            .expect("every client gets a message within a minute");
                    }
                    let sent = base.elapsed().as_nanos();
                    stream
                        .write_all(format!("{seq} {sent}\n").as_bytes())
                        .expect("sending");
                }
                for _ in 0..WINDOW.min(per_talker) {
                    acked
                        .recv_timeout(Duration::from_secs(60))
                        .expect("every client gets a message within a minute");
                }
            })
        })
        .collect();
    for talker in talking {
        talker.join().unwrap();
    }
    let elapsed = start.elapsed();
    let (rss_mb, threads) = memory(server.pid());
    drop(server);
    let mut latencies = readers.join().unwrap();
    latencies.sort_unstable();
    let delivered = talkers * per_talker * (clients - 1);
    let percentile = |p: f64| {
        let index = ((latencies.len() as f64 * p) as usize).min(latencies.len() - 1);
        latencies[index] as f64 / 1e6
    };
    Run {
        rate: delivered as f64 / elapsed.as_secs_f64(),
        p50: percentile(0.5),
        p99: percentile(0.99),
        rss_mb,
        threads,
    }
}

fn join(addr: SocketAddr, i: usize) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connecting");
    stream.set_nodelay(true).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    stream.write_all(format!("c{i}\n").as_bytes()).unwrap();
    // Read the welcome byte by byte, so no later line is left in a buffer.
    let mut line = Vec::new();
    let mut byte = [0];
    while line.last() != Some(&b'\n') {
        stream.read_exact(&mut byte).expect("a welcome");
        line.push(byte[0]);
    }
    assert_eq!(line, format!("* welcome c{i}\n").as_bytes());
    stream
}

/// Reads every client's lines until the server closes them; returns every
/// delivery's latency in nanoseconds.
async fn read_all(
    streams: Vec<TcpStream>,
    done: Arc<Vec<Vec<AtomicUsize>>>,
    acks: Vec<mpsc::Sender<()>>,
    base: Instant,
    clients: usize,
) -> Vec<u64> {
    let acks = Arc::new(acks);
    let mut tasks = Vec::new();
    for stream in streams {
        stream.set_nonblocking(true).unwrap();
        let stream = tokio::net::TcpStream::from_std(stream).unwrap();
        let done = Arc::clone(&done);
        let acks = Arc::clone(&acks);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut lines = tokio::io::BufReader::new(stream).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let Some((name, text)) = line.split_once(": ") else {
                    continue; // * joined, * left
                };
                let now = base.elapsed().as_nanos();
                let talker: usize = name[1..].parse().unwrap();
                let (seq, sent) = text.split_once(' ').unwrap();
                let seq: usize = seq.parse().unwrap();
                let sent: u128 = sent.parse().unwrap();
                latencies.push((now - sent) as u64);
                if done[talker][seq].fetch_add(1, Ordering::Relaxed) + 1 == clients - 1 {
                    let _ = acks[talker].send(());
                }
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all
}

/// The server's resident memory (MB) and threads, from /proc.
fn memory(pid: u32) -> (f64, f64) {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| -> f64 {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
            .unwrap_or(0.0)
    };
    (field("VmRSS:") / 1024.0, field("Threads:"))
}
