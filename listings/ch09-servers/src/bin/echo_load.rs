//! `echo_load ADDR [-c CONNECTIONS] [-m MESSAGES] [-s SIZE] [-t SECONDS]`: a
//! load generator for echo servers. It opens CONNECTIONS connections at once
//! (default 10), sends MESSAGES messages of SIZE bytes on each (defaults 1000
//! and 4096), checks every echo, and reports throughput and round-trip
//! latency percentiles. The whole run must end within SECONDS (default 60).

use std::env;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use ch09_servers::load::{self, Config};
use nix::sys::resource::{Resource, getrlimit, setrlimit};

const PROGRAM: &str = "echo_load";
const USAGE: &str = "usage: echo_load ADDR [-c CONNECTIONS] [-m MESSAGES] [-s SIZE] [-t SECONDS]";

fn main() -> ExitCode {
    let config = match parse(env::args().skip(1).collect()) {
        Ok(config) => config,
        Err(why) => {
            eprintln!("{PROGRAM}: {why}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Err(why) = enough_descriptors(config.connections) {
        eprintln!("{PROGRAM}: {why}");
        return ExitCode::FAILURE;
    }
    match load::run(&config) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{PROGRAM}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: Vec<String>) -> Result<Config, String> {
    let mut args = args.into_iter();
    let addr = args.next().ok_or("no address")?;
    let addr: SocketAddr = addr
        .parse()
        .map_err(|_| format!("{addr:?} is not an address such as 127.0.0.1:7878"))?;
    let mut config = Config {
        addr,
        connections: 10,
        messages: 1000,
        size: 4096,
        timeout: Duration::from_secs(60),
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number: u64 = value
            .parse()
            .map_err(|_| format!("{flag} {value}: not a number"))?;
        match flag.as_str() {
            "-c" => config.connections = number as usize,
            "-m" => config.messages = number as usize,
            "-s" => config.size = number as usize,
            "-t" if (1..=3600).contains(&number) => config.timeout = Duration::from_secs(number),
            "-t" => return Err("-t must be 1 to 3600 seconds".into()),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    config.check()?;
    Ok(config)
}

// ANCHOR: nofile
/// Each connection is a descriptor: raise the soft limit on open files up
/// to the hard limit if the default (often 1024) is too low.
fn enough_descriptors(connections: usize) -> Result<(), String> {
    let needed = connections as u64 + 64;
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).map_err(|err| err.to_string())?;
    if soft >= needed {
        return Ok(());
    }
    if hard < needed {
        return Err(format!(
            "{connections} connections need {needed} descriptors; the hard limit is {hard} (ulimit -Hn)"
        ));
    }
    setrlimit(Resource::RLIMIT_NOFILE, needed, hard).map_err(|err| err.to_string())
}
// ANCHOR_END: nofile
