//! `tids`: every thread of a process has the process's PID and a thread ID
//! (TID) of its own; the kernel lists the threads in `/proc/<pid>/task`.

use std::fs;
use std::io;
use std::process;
use std::sync::{Arc, Barrier, mpsc};
use std::thread;

use nix::unistd::gettid;

// ANCHOR: main
fn main() -> io::Result<()> {
    let pid = process::id();
    println!("main thread: PID {pid}, TID {}", gettid());

    // Each thread reports its IDs, then waits at the barrier so that all of
    // them are still alive while main reads /proc.
    let barrier = Arc::new(Barrier::new(3));
    let (report, reports) = mpsc::channel();
    let mut handles = Vec::new();
    for number in 1..=2 {
        let (report, barrier) = (report.clone(), Arc::clone(&barrier));
        handles.push(thread::spawn(move || {
            report.send((number, process::id(), gettid())).unwrap();
            barrier.wait();
        }));
    }
    let mut seen: Vec<_> = reports.iter().take(2).collect();
    seen.sort(); // the threads report in any order
    for (number, pid, tid) in &seen {
        println!("thread {number}:    PID {pid}, TID {tid}");
    }

    let mut tids = Vec::new();
    for entry in fs::read_dir("/proc/self/task")? {
        let name = entry?.file_name();
        tids.extend(name.to_str().and_then(|name| name.parse::<u32>().ok()));
    }
    tids.sort();
    println!("/proc/{pid}/task: {tids:?}");
    let status = fs::read_to_string("/proc/self/status")?;
    for line in status.lines().filter(|line| line.starts_with("Threads:")) {
        println!("/proc/{pid}/status: {}", line.replace('\t', " "));
    }

    barrier.wait(); // let the threads finish
    for handle in handles {
        handle.join().expect("a thread panicked");
    }
    Ok(())
}
// ANCHOR_END: main
