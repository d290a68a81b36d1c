//! The `chat` benchmark runs in its quick mode, so its code cannot rot
//! between recorded runs. It measures; nothing here checks a time.

use std::process::Command;
use std::time::Duration;

#[test]
fn bench_chat_runs_in_quick_mode_and_prints_a_table() {
    let out = harness::run_with(
        Command::new(env!("CARGO_BIN_EXE_bench_chat")).arg("--quick"),
        b"",
        Duration::from_secs(90),
    );
    out.assert_success();
    let text = out.stdout_text();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# rounds: 1"), "{out}");
    let header = lines.next().unwrap_or_default();
    assert!(
        header.starts_with("server\t10 clients (deliveries/s)\t"),
        "{out}"
    );
    let rows: Vec<Vec<&str>> = lines.map(|line| line.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2, "{out}");
    for row in rows {
        assert_eq!(row.len(), 12, "{out}");
        assert!(row[1..].iter().all(|cell| *cell != "-"), "{out}");
    }
}
