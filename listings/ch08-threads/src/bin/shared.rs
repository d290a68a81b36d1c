//! `shared`: what the threads of a process share (memory, file descriptors,
//! the current directory) and what each has to itself (a stack, a signal
//! mask).

use std::env;
use std::fs::{self, File};
use std::io;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
use nix::unistd::gettid;

// ANCHOR: memory
static ANSWER: AtomicU64 = AtomicU64::new(0);
// ANCHOR_END: memory

/// What the thread did, for main to look at while the thread still runs.
struct Report {
    tid: i32,
    fd: i32,
    stack_var: usize,
}

// ANCHOR: thread
/// The spawned thread: it changes four things, reports, and then waits
/// until main has looked.
fn worker(report: Sender<Report>, finished: Receiver<()>) -> io::Result<()> {
    ANSWER.store(42, Ordering::Relaxed); // memory
    let file = File::open("/dev/null")?; // a file descriptor
    env::set_current_dir("/")?; // the current directory
    let mut blocked = SigSet::empty(); // this thread's signal mask
    blocked.add(Signal::SIGUSR1);
    pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&blocked), None)?;
    let on_my_stack = 0u8;
    let stack_var = &on_my_stack as *const u8 as usize;
    let (tid, fd) = (gettid().as_raw(), file.as_raw_fd());
    report.send(Report { tid, fd, stack_var }).unwrap();
    finished.recv().unwrap(); // keep `file` open until main has looked
    Ok(())
}
// ANCHOR_END: thread

// ANCHOR: main
fn main() -> io::Result<()> {
    let (report, reports) = mpsc::channel();
    let (finish, finished) = mpsc::channel();
    let handle = thread::spawn(move || worker(report, finished));

    let Report { tid, fd, stack_var } = reports.recv().expect("a report");
    let answer = ANSWER.load(Ordering::Relaxed);
    let path = fs::read_link(format!("/proc/self/fd/{fd}"))?;
    let cwd = env::current_dir()?;
    println!("shared by every thread:");
    println!("  memory:            main reads ANSWER = {answer}");
    println!("  file descriptors:  fd {fd} in main is {}", path.display());
    println!("  current directory: main's is now {}", cwd.display());

    println!("private to each thread:");
    let on_main_stack = 0u8;
    let main_var = &on_main_stack as *const u8 as usize;
    let (name, _) = mapping_of(main_var)?; // its size changes as it grows
    println!("  stack:  main's local is in {name}");
    let (name, kib) = mapping_of(stack_var)?;
    println!("          the thread's local is in {name}, {kib} KiB");
    let me = gettid().as_raw();
    println!("  signal mask: main   {}", blocked_signals(me)?);
    println!("               thread {}", blocked_signals(tid)?);

    finish.send(()).unwrap();
    handle.join().expect("the thread panicked")
}
// ANCHOR_END: main

// ANCHOR: proc
/// The name and size (KiB) of the mapping in /proc/self/maps that holds
/// `address`.
fn mapping_of(address: usize) -> io::Result<(String, usize)> {
    for line in fs::read_to_string("/proc/self/maps")?.lines() {
        let mut fields = line.split_whitespace();
        let range = fields.next().unwrap_or("");
        let (start, end) = range.split_once('-').unwrap_or(("0", "0"));
        let start = usize::from_str_radix(start, 16).unwrap_or(0);
        let end = usize::from_str_radix(end, 16).unwrap_or(0);
        if (start..end).contains(&address) {
            let name = fields.nth(4).unwrap_or("an anonymous mapping");
            return Ok((name.to_owned(), (end - start) / 1024));
        }
    }
    Ok(("no mapping".to_owned(), 0))
}

/// The SigBlk line of /proc/self/task/<tid>/status: the blocked signals.
fn blocked_signals(tid: i32) -> io::Result<String> {
    let status = fs::read_to_string(format!("/proc/self/task/{tid}/status"))?;
    let mask = status
        .lines()
        .find_map(|line| line.strip_prefix("SigBlk:"))
        .map(str::trim)
        .unwrap_or("?");
    let blocked = u64::from_str_radix(mask, 16).unwrap_or(0);
    let usr1 = blocked & (1 << (Signal::SIGUSR1 as i32 - 1)) != 0;
    Ok(format!("SigBlk {mask} (SIGUSR1 blocked: {usr1})"))
}
// ANCHOR_END: proc
