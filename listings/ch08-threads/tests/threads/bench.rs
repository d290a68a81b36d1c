//! The benchmark suites run in quick mode, so that their code cannot rot
//! between recorded runs. No test here looks at a time.

use std::process::Command;
use std::time::Duration;

/// Runs a suite in quick mode. Each starts python3 several times, and on a
/// loaded two-core machine that alone can take most of the harness's usual
/// 30 s, so the suites get a longer deadline; a hang still fails the test.
fn run(cmd: &mut Command) -> harness::Output {
    harness::run_with(cmd, b"", Duration::from_secs(90))
}

/// The table a suite printed: header and rows, split into cells.
fn table(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines().filter(|line| !line.starts_with('#'));
    let cells =
        |line: &str| line.split('\t').map(str::to_owned).collect::<Vec<_>>();
    let header = cells(lines.next().expect("a header row"));
    (header, lines.map(cells).collect())
}

fn python_found() -> bool {
    Command::new("python3").arg("--version").output().is_ok()
}

/// Each Rust cell is a number; each Python cell is a number when python3
/// is installed and `-` (not measured) when it is not.
fn check_cells(rows: &[Vec<String>]) {
    for row in rows {
        let measured = !row[0].starts_with("Python") || python_found();
        for cell in &row[1..] {
            if measured {
                let value: f64 =
                    cell.parse().unwrap_or_else(|_| panic!("{row:?}"));
                assert!(value.is_finite() && value > 0.0, "{row:?}");
            } else {
                assert_eq!(cell, "-", "{row:?}");
            }
        }
    }
}

#[test]
fn the_threads_suite_runs_quickly_and_prints_every_row() {
    let out =
        run(Command::new(env!("CARGO_BIN_EXE_bench_threads")).arg("--quick"));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.starts_with("# rounds: 1\n"), "{text}");
    let (header, rows) = table(&text);
    assert_eq!(
        header,
        [
            "runner",
            "CPU job (ns/round)",
            "CPU speed-up",
            "I/O job (s)"
        ]
    );
    let names: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "Rust, 1 thread",
            "Rust, 2 threads",
            "Rust, 4 threads",
            "Python, 1 thread",
            "Python, 2 threads",
            "Python, 4 threads",
            "Python, 2 processes",
            "Python, 4 processes",
        ]
    );
    check_cells(&rows);
    // Each family's 1-thread row is its own baseline.
    assert_eq!(rows[0][2], "1.000");
}

#[test]
fn the_spawn_suite_runs_quickly_and_prints_every_row() {
    let out =
        run(Command::new(env!("CARGO_BIN_EXE_bench_spawn")).arg("--quick"));
    out.assert_success();
    let text = out.stdout_text();
    let (header, rows) = table(&text);
    assert_eq!(
        header,
        ["what is started", "start + join (µs)", "× a Rust thread"]
    );
    let names: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "Rust thread",
            "Rust fork + waitpid",
            "Rust fork + exec (true)",
            "Python thread",
            "Python process (fork)",
        ]
    );
    check_cells(&rows);
    assert_eq!(rows[0][2], "1.000");
}

/// Without python3 on PATH, the Python rows are left unmeasured (`-`) and
/// the suite says how to install it; it never invents a number.
#[test]
fn without_python_the_python_rows_are_not_measured() {
    // A PATH with `true` (the spawn suite runs it) and no python3.
    let dir = tempfile::tempdir().unwrap();
    let true_path = ["/usr/bin/true", "/bin/true"]
        .into_iter()
        .find(|path| std::path::Path::new(path).exists())
        .expect("coreutils' true");
    std::os::unix::fs::symlink(true_path, dir.path().join("true")).unwrap();
    let out = run(Command::new(env!("CARGO_BIN_EXE_bench_spawn"))
        .arg("--quick")
        .env("PATH", dir.path()));
    out.assert_success();
    assert!(
        out.stderr_text().contains("apt-get install python3"),
        "{}",
        out.stderr_text()
    );
    let (_, rows) = table(&out.stdout_text());
    for row in &rows {
        let python = row[0].starts_with("Python");
        assert_eq!(row[1..].iter().all(|cell| cell == "-"), python, "{row:?}");
    }
    assert_eq!(rows.len(), 5);
}
