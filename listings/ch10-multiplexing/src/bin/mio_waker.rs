//! `mio_waker`: another thread wakes a `mio::Poll` that is waiting, with
//! no descriptor of its own becoming ready: a `Waker` (an eventfd on
//! Linux) registered with its own token.

use std::io;
use std::sync::{Arc, mpsc};
use std::thread;

use mio::{Events, Poll, Token, Waker};

const WAKER: Token = Token(10);

// ANCHOR: waker
fn main() -> io::Result<()> {
    let mut poll = Poll::new()?;
    // The loop keeps the Waker alive: dropping it closes its eventfd,
    // which takes it out of the epoll set, with any wake-up not yet seen.
    let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
    let remote = Arc::clone(&waker);
    let (results, finished) = mpsc::channel();
    // A worker computes off the event loop, sends its result, then wakes
    // the loop so that it looks at the channel.
    let worker = thread::spawn(move || {
        let sum: u64 = (1..=1_000_000).sum();
        results.send(sum).unwrap();
        remote.wake()
    });
    let mut events = Events::with_capacity(8);
    poll.poll(&mut events, None)?; // no timeout: only the waker ends this
    for event in &events {
        println!(
            "woken: {:?}, readable: {}",
            event.token(),
            event.is_readable()
        );
    }
    println!("the worker's result: {}", finished.recv().unwrap());
    worker.join().unwrap()
}
// ANCHOR_END: waker
