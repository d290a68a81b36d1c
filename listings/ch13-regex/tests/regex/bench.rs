//! The chapter's benchmark suites, in quick mode: they must run and print
//! every row. No test asserts a time.

use std::process::Command;

use harness::run;

fn rows(bin: &str) -> Vec<Vec<String>> {
    let out = run(Command::new(bin).arg("--quick"));
    out.assert_success();
    let text = out.stdout_text();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# rounds: 1"));
    lines
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_regex_benchmark_runs_in_quick_mode() {
    let rows = rows(env!("CARGO_BIN_EXE_bench_regex"));
    assert_eq!(
        rows[0],
        [
            "letters a (n)",
            "Python re (µs)",
            "regex crate (µs)",
            "Python ÷ regex crate"
        ]
    );
    let names: Vec<&str> =
        rows[1..].iter().map(|row| row[0].as_str()).collect();
    assert_eq!(names, ["n = 8", "n = 1,000"]);
    for row in &rows[1..] {
        let rust: f64 = row[2].parse().unwrap();
        assert!(rust > 0.0, "{row:?}");
    }
    // Python runs the short inputs only.
    assert!(rows[1][1].parse::<f64>().unwrap() > 0.0, "{rows:?}");
    assert!(rows[1][3].parse::<f64>().unwrap() > 0.0, "{rows:?}");
    assert_eq!(rows[2][1], "-");
    assert_eq!(rows[2][3], "-");
}

#[test]
fn the_regex_compile_benchmark_runs_in_quick_mode() {
    let rows = rows(env!("CARGO_BIN_EXE_bench_regex_compile"));
    assert_eq!(rows[0], ["how", "time per line (µs)"]);
    assert_eq!(rows.len(), 7, "{rows:?}");
    for row in &rows[1..] {
        assert!(row[1].parse::<f64>().unwrap() > 0.0, "{row:?}");
    }
}
