//! The `multiplexing` benchmark runs in its quick mode, so its code cannot
//! rot between recorded runs. It measures; nothing here checks a time.

use std::process::Command;

#[test]
fn bench_multiplexing_runs_in_quick_mode_and_prints_a_table() {
    let out = harness::run(Command::new(env!("CARGO_BIN_EXE_bench_multiplexing")).arg("--quick"));
    out.assert_success();
    let text = out.stdout_text();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# rounds: 1"), "{out}");
    let header = lines.next().unwrap_or_default();
    assert!(header.starts_with("model\t"), "{out}");
    let rows: Vec<&str> = lines.map(|line| line.split('\t').next().unwrap()).collect();
    for model in ["select", "poll", "epoll", "non-blocking"] {
        assert!(rows.contains(&model), "no row for {model}: {out}");
    }
}
