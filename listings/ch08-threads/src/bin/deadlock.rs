//! `deadlock [--ordered] [SECONDS]`: two threads take two mutexes in
//! opposite orders and wait for each other forever. A watchdog notices when
//! nothing has happened for SECONDS (2 by default) and ends the process
//! with a message. With `--ordered` the threads take the locks in one order
//! and finish.

use std::process::ExitCode;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Barrier, Mutex, TryLockError};
use std::thread;
use std::time::Duration;

// ANCHOR: taker
type Lock = Arc<Mutex<u32>>;

/// Starts a thread that locks `first`, then `second`, and adds 1 to both,
/// `rounds` times; then it sends its name on `done`. With a barrier, it
/// waits there in its first round while it holds `first`.
fn taker(
    name: &'static str,
    first: &Lock,
    second: &Lock,
    rounds: u32,
    barrier: Option<Arc<Barrier>>,
    done: &Sender<&'static str>,
) {
    let (first, second, done) =
        (Arc::clone(first), Arc::clone(second), done.clone());
    thread::spawn(move || {
        for _ in 0..rounds {
            let mut held = first.lock().unwrap();
            if let Some(barrier) = &barrier {
                barrier.wait();
            }
            // Blocks while another thread holds `second`.
            let mut also = second.lock().unwrap();
            *held += 1;
            *also += 1;
        }
        done.send(name).unwrap();
    });
}
// ANCHOR_END: taker

// ANCHOR: orders
fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    let ordered = args.next_if_eq("--ordered").is_some();
    // How long the watchdog below waits: 2 s, or the next argument.
    let Some(patience) = args
        .next()
        .map_or(Some(2.0), |secs| secs.parse().ok())
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .filter(|patience| !patience.is_zero())
    else {
        eprintln!("usage: deadlock [--ordered] [SECONDS]");
        return ExitCode::from(2);
    };
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    let (done, finished) = mpsc::channel();
    if ordered {
        // The fix: both take `a` before `b`, so no cycle can form.
        taker("left", &a, &b, 10_000, None, &done);
        taker("right", &a, &b, 10_000, None, &done);
    } else {
        // Opposite orders. The barrier lets each take its first lock before
        // either tries its second: a deadlock every time, not just sometimes.
        let both_hold_one = Arc::new(Barrier::new(2));
        taker("left", &a, &b, 1, Some(Arc::clone(&both_hold_one)), &done);
        taker("right", &b, &a, 1, Some(both_hold_one), &done);
    }
    // ANCHOR_END: orders
    // ANCHOR: watchdog
    // The watchdog: wait for both threads, but not forever.
    let mut names = Vec::new();
    while names.len() < 2 {
        match finished.recv_timeout(patience) {
            Ok(name) => names.push(name),
            Err(RecvTimeoutError::Timeout) => {
                println!("after {patience:?}, finished: {names:?}");
                println!("a is held: {}, b is held: {}", held(&a), held(&b));
                eprintln!("deadlock: each thread waits for the other's lock");
                // The two threads can never be joined. Returning from main
                // ends the process, and them with it.
                return ExitCode::FAILURE;
            }
            Err(RecvTimeoutError::Disconnected) => {
                eprintln!("a thread panicked");
                return ExitCode::FAILURE;
            }
        }
    }
    names.sort();
    println!(
        "finished {names:?}; a = {}, b = {}",
        a.lock().unwrap(),
        b.lock().unwrap()
    );
    ExitCode::SUCCESS
}

/// Whether some thread holds `lock` now. `try_lock` never blocks.
fn held(lock: &Mutex<u32>) -> bool {
    matches!(lock.try_lock(), Err(TryLockError::WouldBlock))
}
// ANCHOR_END: watchdog
