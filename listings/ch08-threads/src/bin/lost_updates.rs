//! `lost_updates`: four threads increment one counter a million times each,
//! three ways. A mutex and an atomic `fetch_add` count exactly; a separate
//! load and store on the same atomic loses updates.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

const THREADS: u64 = 4;
const INCREMENTS: u64 = 1_000_000;

// ANCHOR: ways
/// Runs `increment` INCREMENTS times on each of THREADS threads.
fn hammer(increment: impl Fn() + Sync) {
    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                for _ in 0..INCREMENTS {
                    increment();
                }
            });
        }
    });
}

fn main() {
    let expected = THREADS * INCREMENTS;
    println!(
        "{THREADS} threads x {INCREMENTS} increments, expected {expected}"
    );

    let locked = Mutex::new(0u64);
    hammer(|| *locked.lock().unwrap() += 1);
    println!(
        "Mutex<u64>, lock then +=:     {}",
        locked.into_inner().unwrap()
    );

    let atomic = AtomicU64::new(0);
    hammer(|| {
        atomic.fetch_add(1, Ordering::Relaxed); // one indivisible step
    });
    println!("AtomicU64::fetch_add:         {}", atomic.into_inner());

    let racy = AtomicU64::new(0);
    hammer(|| {
        // Two steps; another thread may write in between.
        let seen = racy.load(Ordering::Relaxed);
        racy.store(seen + 1, Ordering::Relaxed);
    });
    let counted = racy.into_inner();
    println!(
        "AtomicU64, load then store:   {counted} ({} lost)",
        expected - counted
    );
}
// ANCHOR_END: ways
