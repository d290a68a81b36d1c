//! `bench_fileserver_path [--quick] [--rounds N]`: the four designs of
//! chapter 15's server, `fs_threads`, `fs_pool`, `fs_epoll` and
//! `fileserver`, serve the same files on loopback, loaded by wrk with
//! keep-alive: files of 1 KiB and 64 KiB, 10, 100 and 1,000 connections,
//! 1 second each, the designs alternating (`--quick`: one file, 10
//! connections, the four at once). Prints requests per second, p99
//! latency and each design's requests per second as a multiple of
//! `fs_threads`', medians of the rounds. Without wrk, every row stays
//! unmeasured and stderr says how to install it. Run it with
//! `cargo xtask bench fileserver_path`.

use std::fs;
use std::thread;

use benchkit::{Options, Table, median};

#[path = "../bench-shared/wrk.rs"]
mod wrk;
use wrk::{build_release, exe_dir, fail, file_name, find, run_wrk, start_server, tempdir};

const DESIGNS: [&str; 4] = ["fs_threads", "fs_pool", "fs_epoll", "fileserver"];
const COLUMNS: [&str; 3] = [
    "requests/s",
    "p99 latency (ms)",
    "requests/s vs fs_threads (x)",
];

fn main() {
    let options = Options::from_args();
    let rounds = options.rounds;
    let seconds = 1;
    let sizes: Vec<(&str, usize)> = options.pick(
        vec![("1 KiB", 1024), ("64 KiB", 64 * 1024)],
        vec![("1 KiB", 1024)],
    );
    let connections: Vec<usize> = options.pick(vec![10, 100, 1000], vec![10]);
    let configs: Vec<(&str, usize)> = sizes
        .iter()
        .flat_map(|(label, _)| connections.iter().map(move |&conns| (*label, conns)))
        .collect();

    let mut table = Table::new("design, file, connections", &COLUMNS);
    let Some(wrk) = find("wrk", "apt-get install wrk") else {
        for design in DESIGNS {
            for (label, conns) in &configs {
                table.skip(&format!("{design}, {label}, {conns}"));
            }
        }
        table.print(rounds);
        return;
    };
    let dir = exe_dir();
    if !options.quick {
        build_release(&DESIGNS);
    }
    let site = tempdir();
    let root = site.join("root");
    fs::create_dir_all(&root).unwrap_or_else(|err| fail(&format!("{}: {err}", root.display())));
    for (label, size) in &sizes {
        let bytes: Vec<u8> = (0..*size).map(|i| (i % 251) as u8).collect();
        fs::write(root.join(file_name(label)), bytes).unwrap_or_else(|err| fail(&err.to_string()));
    }
    let servers: Vec<_> = DESIGNS
        .iter()
        .map(|design| start_server(design, &dir.join(design), &root, &[]))
        .collect();

    // samples[design][config] = (requests/s, p99 ms) per round.
    let mut samples = vec![vec![Vec::new(); configs.len()]; servers.len()];
    for _ in 0..rounds {
        for (c, (label, conns)) in configs.iter().enumerate() {
            let measure = |port: u16| {
                let url = format!("http://127.0.0.1:{port}/{}", file_name(label));
                let (rps, _, p99) = run_wrk(&wrk, &url, *conns, seconds);
                (rps, p99)
            };
            if options.quick {
                // All at once: the figures mean nothing, the test is quick.
                let results: Vec<_> = thread::scope(|scope| {
                    let runs: Vec<_> = servers
                        .iter()
                        .map(|server| scope.spawn(|| measure(server.port)))
                        .collect();
                    runs.into_iter().map(|run| run.join().unwrap()).collect()
                });
                for (s, result) in results.into_iter().enumerate() {
                    samples[s][c].push(result);
                }
                continue;
            }
            // The designs alternate within each configuration, so that a
            // slow moment of the machine hurts all of them alike.
            for (s, server) in servers.iter().enumerate() {
                samples[s][c].push(measure(server.port));
            }
        }
    }
    let names: Vec<&str> = servers.iter().map(|server| server.name).collect();
    drop(servers);
    let _ = fs::remove_dir_all(&site);

    let medians: Vec<Vec<(f64, f64)>> = samples
        .iter()
        .map(|per_config| {
            per_config
                .iter()
                .map(|runs| {
                    let rps = median(&mut runs.iter().map(|r| r.0).collect::<Vec<_>>());
                    let p99 = median(&mut runs.iter().map(|r| r.1).collect::<Vec<_>>());
                    (rps, p99)
                })
                .collect()
        })
        .collect();
    for (s, design) in names.iter().enumerate() {
        for (c, (label, conns)) in configs.iter().enumerate() {
            let row = format!("{design}, {label}, {conns}");
            let (rps, p99) = medians[s][c];
            table.set(&row, COLUMNS[0], rps);
            table.set(&row, COLUMNS[1], p99);
            if medians[0][c].0 > 0.0 {
                table.set(&row, COLUMNS[2], rps / medians[0][c].0);
            }
        }
    }
    table.print(rounds);
}
