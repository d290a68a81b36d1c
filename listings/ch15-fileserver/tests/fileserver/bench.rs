//! The benchmarks run in their quick modes, so that their code cannot rot
//! between recorded runs. No figure is checked: only the tables' shapes.

use std::process::Command;

#[test]
fn bench_fileserver_runs_in_quick_mode_and_prints_a_table() {
    let out = harness::run(Command::new(env!("CARGO_BIN_EXE_bench_fileserver")).arg("--quick"));
    let text = out.assert_success().stdout_text();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# rounds: 1"));
    assert_eq!(
        lines.next(),
        Some(
            "server, file, connections\trequests/s\ttransfer (MB/s)\tp99 latency (ms)\t\
             requests/s vs nginx (x)"
        )
    );
    let rows: Vec<&str> = lines.map(|line| line.split('\t').next().unwrap()).collect();
    assert_eq!(
        rows,
        [
            "fileserver, 1 KiB, 10",
            "nginx, 1 KiB, 10",
            "python http.server, 1 KiB, 10"
        ]
    );
}

#[test]
fn bench_fileserver_path_runs_in_quick_mode_and_prints_a_table() {
    let out =
        harness::run(Command::new(env!("CARGO_BIN_EXE_bench_fileserver_path")).arg("--quick"));
    let text = out.assert_success().stdout_text();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# rounds: 1"));
    assert_eq!(
        lines.next(),
        Some(
            "design, file, connections\trequests/s\tp99 latency (ms)\t\
             requests/s vs fs_threads (x)"
        )
    );
    let rows: Vec<&str> = lines.map(|line| line.split('\t').next().unwrap()).collect();
    assert_eq!(
        rows,
        [
            "fs_threads, 1 KiB, 10",
            "fs_pool, 1 KiB, 10",
            "fs_epoll, 1 KiB, 10",
            "fileserver, 1 KiB, 10"
        ]
    );
}
