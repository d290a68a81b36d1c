//! `shared_counter`: four children add 1 to a counter 10 000 times each.
//! In private memory the parent never sees it; in shared memory a read
//! followed by a write loses updates; `fetch_add` or a lock does not.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::thread;

use ch07_ipc::{Semaphore, Shared, fork_child, wait_child};

const CHILDREN: u64 = 4;
const ADDS: u64 = 10_000;

// ANCHOR: in_children
/// Runs `add` ADDS times in each of CHILDREN children, all at once.
fn in_children(add: impl Fn()) -> io::Result<()> {
    let start = Shared::new(AtomicBool::new(false))?;
    let mut children = Vec::new();
    for _ in 0..CHILDREN {
        children.push(fork_child(|| {
            while !start.load(SeqCst) {
                thread::yield_now(); // wait until every child exists
            }
            (0..ADDS).for_each(|_| add());
            0
        })?);
    }
    start.store(true, SeqCst);
    for child in children {
        wait_child(child)?;
    }
    Ok(())
}
// ANCHOR_END: in_children

fn main() -> io::Result<()> {
    println!("{CHILDREN} children add 1, {ADDS} times each:");
    // ANCHOR: private
    let private = AtomicU64::new(0); // on our stack: each child has a copy
    in_children(|| {
        private.fetch_add(1, SeqCst);
    })?;
    println!(
        "private memory:                     {}",
        private.load(SeqCst)
    );
    // ANCHOR_END: private

    // ANCHOR: race
    let counter = Shared::new(AtomicU64::new(0))?; // one page, MAP_SHARED
    in_children(|| {
        let value = counter.load(SeqCst); // read…
        thread::yield_now(); // (a busy machine may switch here too)
        counter.store(value + 1, SeqCst); // …then write
    })?;
    println!(
        "shared, load then store:            {}",
        counter.load(SeqCst)
    );
    // ANCHOR_END: race

    // ANCHOR: atomic
    counter.store(0, SeqCst);
    in_children(|| {
        counter.fetch_add(1, SeqCst); // read and write in one step
    })?;
    println!(
        "shared, fetch_add:                  {}",
        counter.load(SeqCst)
    );
    // ANCHOR_END: atomic

    // ANCHOR: lock
    counter.store(0, SeqCst);
    let lock = Semaphore::new(1)?; // one ticket: a lock
    in_children(|| {
        lock.wait().expect("sem_wait");
        let value = counter.load(SeqCst); // the same racy code as above,
        thread::yield_now(); // but only one process at a time runs it
        counter.store(value + 1, SeqCst);
        lock.post().expect("sem_post");
    })?;
    println!(
        "shared, load then store, locked:    {}",
        counter.load(SeqCst)
    );
    // ANCHOR_END: lock
    Ok(())
}
