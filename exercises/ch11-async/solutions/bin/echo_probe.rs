//! Exercise 11.2: `echo_probe [--timeout-ms N] [--max-concurrent N]
//! ADDR...` checks many echo servers at once, like `asyncio.gather` with
//! `wait_for` and a `Semaphore`.
//!
//! For each address it connects, sends `ping\n` and expects it back, all
//! within `--timeout-ms` milliseconds (default 1,000); at most
//! `--max-concurrent` probes (default 100) are in progress at once. It
//! prints one line per address, in the order given: `ADDR ok`,
//! `ADDR timed out` or `ADDR error: WHAT`, and exits with 0 if every probe
//! was ok, 1 otherwise, and 2 (with a usage message) on bad arguments.

use std::env;
use std::io;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::timeout;

const USAGE: &str =
    "usage: echo_probe [--timeout-ms N] [--max-concurrent N] ADDR...";

struct Options {
    timeout: Duration,
    max_concurrent: usize,
    addrs: Vec<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let Some(options) = parse(env::args().skip(1)) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let permits = Arc::new(Semaphore::new(options.max_concurrent));
    let mut probes = JoinSet::new();
    for (index, addr) in options.addrs.iter().enumerate() {
        let (permits, addr) = (permits.clone(), addr.clone());
        let limit = options.timeout;
        probes.spawn(async move {
            // Wait for a permit first: the clock starts with the probe.
            let _permit = permits.acquire_owned().await.expect("never closed");
            let verdict = match timeout(limit, probe(&addr)).await {
                Ok(Ok(())) => "ok".to_owned(),
                Ok(Err(err)) => format!("error: {err}"),
                Err(_elapsed) => "timed out".to_owned(),
            };
            (index, verdict)
        });
    }
    // Results come in the order probes finish; print in the order given.
    let mut verdicts = vec![String::new(); options.addrs.len()];
    while let Some(finished) = probes.join_next().await {
        let (index, verdict) = finished.expect("a probe panicked");
        verdicts[index] = verdict;
    }
    for (addr, verdict) in options.addrs.iter().zip(&verdicts) {
        println!("{addr} {verdict}");
    }
    if verdicts.iter().all(|verdict| verdict == "ok") {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn parse(mut args: impl Iterator<Item = String>) -> Option<Options> {
    let mut options = Options {
        timeout: Duration::from_millis(1000),
        max_concurrent: 100,
        addrs: Vec::new(),
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--timeout-ms" => {
                let ms: u64 = args.next()?.parse().ok().filter(|&ms| ms > 0)?;
                options.timeout = Duration::from_millis(ms);
            }
            "--max-concurrent" => {
                options.max_concurrent =
                    args.next()?.parse().ok().filter(|&n| n > 0)?;
            }
            flag if flag.starts_with("--") => return None,
            addr => options.addrs.push(addr.to_owned()),
        }
    }
    (!options.addrs.is_empty()).then_some(options)
}

/// Connects to `addr`, sends `ping\n` and reads back the same 5 bytes.
async fn probe(addr: &str) -> io::Result<()> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(b"ping\n").await?;
    let mut echo = [0u8; 5];
    stream.read_exact(&mut echo).await?;
    if &echo != b"ping\n" {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "wrong echo"));
    }
    Ok(())
}
