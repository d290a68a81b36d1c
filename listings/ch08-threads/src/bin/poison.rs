//! `poison`: a thread panics while it holds a lock, halfway through an
//! update. The mutex is poisoned, and every later `lock` says so.

use std::sync::{Arc, Mutex};
use std::thread;

/// Two accounts whose sum must stay 100.
#[derive(Debug)]
struct Accounts {
    alice: i64,
    bob: i64,
}

// ANCHOR: panic
fn main() {
    let accounts = Arc::new(Mutex::new(Accounts { alice: 100, bob: 0 }));
    let shared = Arc::clone(&accounts);
    let mover = thread::spawn(move || {
        let mut guard = shared.lock().unwrap();
        guard.alice -= 30; // the first half of a transfer…
        let fee: i64 = "thirty".parse().expect("a fee in digits"); // …panics
        guard.bob += 30 - fee; // never runs
    });
    println!("mover joined: {:?}", mover.join().map_err(|_| "panicked"));
    // ANCHOR_END: panic

    // ANCHOR: recover
    match accounts.lock() {
        Ok(guard) => println!("lock: Ok({guard:?})"),
        Err(poisoned) => {
            println!("lock: Err({poisoned})");
            // The data is still there, in whatever state the panic left it.
            let guard = poisoned.into_inner();
            println!("into_inner: {guard:?}, sum {}", guard.alice + guard.bob);
        }
    }
    // Repair the data, then say so: the lock is usable again.
    let mut guard = accounts
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    *guard = Accounts { alice: 100, bob: 0 };
    drop(guard);
    accounts.clear_poison();
    println!(
        "after clear_poison: is_poisoned() = {}",
        accounts.is_poisoned()
    );
    println!("lock: {:?}", accounts.lock().map(|guard| guard.alice));
}
// ANCHOR_END: recover
