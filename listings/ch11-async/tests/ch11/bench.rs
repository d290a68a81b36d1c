//! The `async` benchmark runs in its quick mode, so its code cannot rot
//! between recorded runs. It measures; nothing here checks a time.

use std::process::Command;

#[test]
fn bench_async_runs_in_quick_mode_and_prints_a_table() {
    let out = harness::run(
        Command::new(env!("CARGO_BIN_EXE_bench_async")).arg("--quick"),
    );
    out.assert_success();
    let text = out.stdout_text();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# rounds: 1"), "{out}");
    let header = lines.next().unwrap_or_default();
    assert!(
        header.starts_with("contender\tmemory per idle (KiB)\t"),
        "{out}"
    );
    let rows: Vec<Vec<&str>> =
        lines.map(|line| line.split('\t').collect()).collect();
    for contender in [
        "hand-made",
        "tokio current_thread",
        "tokio multi_thread",
        "threads",
    ] {
        let row = rows
            .iter()
            .find(|row| row[0] == contender)
            .unwrap_or_else(|| panic!("no row for {contender}: {out}"));
        // Memory and hand-off are measured in-process: never left out.
        for cell in &row[1..4] {
            assert!(
                cell.parse::<f64>().is_ok(),
                "{contender}: {cell:?} in {out}"
            );
        }
    }
}

#[test]
fn bench_async_leaves_the_python_row_unmeasured_without_python3() {
    let empty = tempfile::tempdir().unwrap();
    let out = harness::run(
        Command::new(env!("CARGO_BIN_EXE_bench_async"))
            .arg("--quick")
            .env("PATH", empty.path()),
    );
    out.assert_success();
    let text = out.stdout_text();
    let python = text
        .lines()
        .find(|line| line.starts_with("python asyncio\t"))
        .unwrap_or_else(|| panic!("no python row: {out}"));
    assert!(
        python.split('\t').skip(1).all(|cell| cell == "-"),
        "{python}"
    );
    assert!(
        out.stderr_text().contains("apt-get install python3"),
        "{out}"
    );
}
