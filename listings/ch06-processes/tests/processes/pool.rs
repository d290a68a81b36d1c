//! The process pool: every job's result exactly once, workers reused and
//! reaped, a dead worker's job reported and the worker replaced.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::process::{Command, Stdio};

use harness::{ChildGuard, DEADLINE, check_output, run};

use crate::bin;
use crate::common::{assert_group_gone, have, python, renumber, run_owned, stat_field};

/// The job, computed here by a sieve: a different method from the pool's.
fn primes_below(limit: usize) -> u64 {
    let mut composite = vec![false; limit.max(2)];
    let mut count = 0;
    for n in 2..limit {
        if !composite[n] {
            count += 1;
            for multiple in (n * n..limit).step_by(n) {
                composite[multiple] = true;
            }
        }
    }
    count
}

#[test]
fn pool_runs_ten_jobs_on_three_reused_workers() {
    let (out, pid) = run_owned(&mut Command::new(bin!("pool")), b"");
    out.assert_success();
    let text = out.stdout_text();
    for n in 1..=10 {
        let limit = n * 10_000;
        let line = format!("count_primes({limit}) = {}\n", primes_below(limit));
        assert!(text.contains(&line), "{line} missing from\n{text}");
    }
    let last = text.lines().last().unwrap();
    let workers: Vec<i64> = last
        .trim_start_matches("the jobs ran in worker processes ")
        .split(", ")
        .map(|pid| pid.parse().unwrap())
        .collect();
    assert_eq!(workers.len(), 3, "{text}");
    assert!(!workers.contains(&pid.into()));
    check_output!(
        "../../output/pool.txt",
        &renumber(&text, &workers, &[4243, 4244, 4245])
    );
}

#[test]
fn more_jobs_than_workers_each_result_arrives_exactly_once() {
    let limits: Vec<usize> = (1..=40).map(|n| n * 499).collect();
    let input: String = limits.iter().map(|limit| format!("{limit}\n")).collect();
    // run_owned also checks that no worker is left once the pool exits.
    let (out, pid) = run_owned(Command::new(bin!("pool")).arg("--stdin"), input.as_bytes());
    out.assert_success();
    let text = out.stdout_text();
    let mut seen = Vec::new();
    let mut workers = BTreeSet::new();
    for line in text.lines() {
        let fields: Vec<u64> = line
            .split(' ')
            .map(|field| field.parse().unwrap())
            .collect();
        let [limit, count, worker] = fields[..] else {
            panic!("bad line {line:?}")
        };
        assert_eq!(count, primes_below(limit as usize), "{line}");
        seen.push(limit as usize);
        workers.insert(worker);
    }
    assert_eq!(seen, limits, "every job once, in the order submitted");
    assert_eq!(workers.len(), 3, "three workers, each used: {workers:?}");
    assert!(!workers.contains(&pid.into()));
}

/// The PIDs and states of `pid`'s children.
fn children(pid: u32) -> Vec<(i32, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(child) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        if stat_field(child, 4).as_deref() == Some(&pid.to_string()) {
            found.push((child, stat_field(child, 3).unwrap_or_default()));
        }
    }
    found
}

/// Waits until `pid`'s children satisfy `done`, with a deadline.
fn wait_for_children(
    pid: u32,
    what: &str,
    done: impl Fn(&[(i32, String)]) -> bool,
) -> Vec<(i32, String)> {
    let mut found = Vec::new();
    let settled = harness::wait_until(DEADLINE, || {
        found = children(pid);
        done(&found)
    });
    assert!(settled, "{what}: the pool's children are {found:?}");
    found
}

#[test]
fn a_job_whose_worker_is_killed_fails_and_a_new_worker_takes_its_place() {
    let mut cmd = Command::new(bin!("pool"));
    cmd.arg("--stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut guard = ChildGuard::spawn(&mut cmd).unwrap();
    let pool = guard.id();
    let mut stdin = guard.child_mut().stdin.take().unwrap();
    let mut stdout = guard.child_mut().stdout.take().unwrap();
    wait_for_children(pool, "three idle workers", |found| {
        found.len() == 3 && found.iter().all(|(_, state)| state == "S")
    });
    // A job that would run for hours: its worker is the one running.
    stdin.write_all(b"1000000000000\n").unwrap();
    let busy = wait_for_children(pool, "one busy worker", |found| {
        found.iter().any(|(_, state)| state == "R")
    });
    let victim = busy.iter().find(|(_, state)| state == "R").unwrap().0;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(victim),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    stdin.write_all(b"1000\n2000\n3000\n4000\n").unwrap();
    drop(stdin); // end of the job source: the pool finishes and exits

    let status = guard
        .wait_timeout(DEADLINE)
        .unwrap()
        .expect("the pool exits");
    assert!(status.success(), "{status}");
    let mut text = String::new();
    stdout.read_to_string(&mut text).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!("count_primes(1000000000000) failed: worker {victim} died: signal: 9 (SIGKILL)")
    );
    let rest: Vec<&str> = lines.collect();
    assert_eq!(rest.len(), 4, "{text}");
    for (line, (limit, count)) in
        rest.iter()
            .zip([(1000, 168), (2000, 303), (3000, 430), (4000, 550)])
    {
        assert!(line.starts_with(&format!("{limit} {count} ")), "{line}");
        assert!(
            !line.ends_with(&format!(" {victim}")),
            "the dead worker answered: {line}"
        );
    }
    assert_group_gone(pool as i32, "pool --stdin");
}

#[test]
fn python_pool_has_close_not_colse_and_loses_a_job_whose_worker_dies() {
    if !have("python3") {
        eprintln!("note: no python3: Python comparison skipped");
        return;
    }
    let out = run(python().args([
        "-c",
        "import multiprocessing as mp\np = mp.Pool(1)\np.colse()",
    ]));
    assert!(
        out.stderr_text()
            .contains("AttributeError: 'Pool' object has no attribute 'colse'")
    );

    let script = r#"
import concurrent.futures as cf, multiprocessing as mp, os, sys
# The pool forks a new worker whenever one dies, at a moment of its own:
# a line still in this process's buffer then would be printed twice, by
# the worker too, when it exits. Each line goes out as it is printed.
sys.stdout.reconfigure(line_buffering=True)
def die(x):
    os._exit(1)
def square(x):
    return x * x
if __name__ == "__main__":
    mp.set_start_method("fork")  # Linux's default before Python 3.14
    pool = mp.Pool(2)
    lost = pool.apply_async(die, (1,))
    print(pool.apply_async(square, (7,)).get(timeout=30))
    try:
        lost.get(timeout=0.5)
    except mp.TimeoutError:
        print("no result")
    try:
        pool.join()
    except ValueError as err:
        print("ValueError:", err)
    pool.close()
    try:
        pool.apply_async(square, (7,))
    except ValueError as err:
        print("ValueError:", err)
    pool.terminate()
    pool.join()
    with cf.ProcessPoolExecutor(1) as executor:
        try:
            executor.submit(die, 1).result(timeout=30)
        except Exception as err:
            print(type(err).__name__)
"#;
    let out = run(python().args(["-c", script]));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "49\nno result\nValueError: Pool is still running\n\
         ValueError: Pool not running\nBrokenProcessPool\n"
    );
}
