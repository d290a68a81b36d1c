//! Chapter 8's exercises. Edit the files in `src/`, then check one with
//! `cargo xtask exercise 8.N`. The reference solutions are in `solutions/`:
//! `cargo test` checks those.

pub mod queue;
pub mod semaphore;
pub mod wordcount;

#[doc(hidden)]
#[path = "../solutions/queue.rs"]
pub mod queue_reference;

#[doc(hidden)]
#[path = "../solutions/wordcount.rs"]
pub mod wordcount_reference;

#[doc(hidden)]
#[path = "../solutions/semaphore.rs"]
pub mod semaphore_reference;
