//! `semaphore`: five worker processes share two tickets. The parent holds
//! the door: it watches who gets in and tells workers when to leave.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use ch07_ipc::{Semaphore, Shared, fork_child, wait_child};

const WORKERS: usize = 5;
const TICKETS: u32 = 2;

// ANCHOR: room
/// What the workers share with the parent. Each field points into shared
/// memory, so the copy each child gets from `fork` points to the same.
struct Room {
    tickets: Semaphore, // Semaphore(2): the admission tickets
    entered: Semaphore, // a worker posts it once inside: "I'm in"
    leave: Semaphore,   // the parent posts it: "one of you may go"
    inside: Shared<AtomicUsize>,
    peak: Shared<AtomicUsize>,
}

fn worker(room: &Room) -> io::Result<()> {
    room.tickets.wait()?; // acquire(): blocks while no ticket is left
    let now = room.inside.fetch_add(1, SeqCst) + 1;
    room.peak.fetch_max(now, SeqCst);
    room.entered.post()?;
    room.leave.wait()?; // work until the parent says so
    room.inside.fetch_sub(1, SeqCst);
    room.tickets.post() // release(): the ticket goes back
}
// ANCHOR_END: room

fn main() -> io::Result<()> {
    // ANCHOR: door
    let room = Room {
        tickets: Semaphore::new(TICKETS)?,
        entered: Semaphore::new(0)?,
        leave: Semaphore::new(0)?,
        inside: Shared::new(AtomicUsize::new(0))?,
        peak: Shared::new(AtomicUsize::new(0))?,
    };
    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        workers.push(fork_child(|| if worker(&room).is_ok() { 0 } else { 1 })?);
    }
    println!("{WORKERS} workers, {TICKETS} tickets");

    for _ in 0..TICKETS {
        room.entered.wait()?;
    }
    let (inside, left) = (room.inside.load(SeqCst), room.tickets.value()?);
    println!("{inside} workers inside, tickets left: {left}");
    if !room.entered.wait_timeout(Duration::from_millis(300))? {
        println!("nobody else got in within 300 ms");
    }

    for served in 1..=WORKERS {
        room.leave.post()?; // one leaves…
        if served + TICKETS as usize <= WORKERS {
            room.entered.wait()?; // …and a waiting one takes its ticket
        }
    }
    for worker in workers {
        wait_child(worker)?;
    }
    println!(
        "all served; at most {} inside at once; tickets left: {}",
        room.peak.load(SeqCst),
        room.tickets.value()?
    );
    // ANCHOR_END: door
    Ok(())
}
