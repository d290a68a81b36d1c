//! The benchmark suite of the chapter, in quick mode: it must run, and
//! print a table of every mechanism. No test asserts a time.

use std::process::Command;

use crate::common::run_forking;

#[test]
fn the_ipc_benchmark_runs_in_quick_mode_and_prints_every_mechanism() {
    let (out, pid) = run_forking(Command::new(env!("CARGO_BIN_EXE_bench_ipc")).arg("--quick"));
    out.assert_success();
    crate::common::assert_nothing_left(pid);
    let text = out.stdout_text();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# rounds: 1"));
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(header[0], "mechanism");
    assert_eq!(header.len(), 5, "{header:?}");
    let rows: Vec<Vec<&str>> = lines.map(|line| line.split('\t').collect()).collect();
    let names: Vec<&str> = rows.iter().map(|row| row[0]).collect();
    assert_eq!(
        names,
        [
            "pipe",
            "socketpair (stream)",
            "Unix datagram socket",
            "POSIX message queue (8 KiB)",
            "shared memory + semaphores",
            "TCP over loopback",
            "signals (round trip only)",
        ]
    );
    // The suite measures on two CPUs when it may run on two.
    let allowed = nix::sched::sched_getaffinity(nix::unistd::Pid::from_raw(0)).unwrap();
    let cpus = (0..nix::sched::CpuSet::count())
        .filter(|&cpu| allowed.is_set(cpu).unwrap_or(false))
        .count();
    let two_cpus = cpus >= 2;
    for row in &rows {
        assert_eq!(row.len(), header.len(), "{row:?}");
        for (column, cell) in header.iter().zip(row).skip(1) {
            let measured = !(column.starts_with("throughput") && row[0].starts_with("signals"))
                && (two_cpus || !column.contains("2 CPUs"));
            if measured {
                let value: f64 = cell.parse().unwrap_or_else(|_| panic!("{row:?}"));
                assert!(value > 0.0 && value.is_finite(), "{row:?}");
            } else {
                assert_eq!(*cell, "-", "{row:?}");
            }
        }
    }
}
