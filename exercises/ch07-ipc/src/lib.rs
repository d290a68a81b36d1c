//! Chapter 7's exercises. Edit the files in `src/`, then check one with
//! `cargo xtask exercise 7.N`. The reference solutions are in `solutions/`:
//! `cargo test` checks those.

pub mod work_queue;

#[doc(hidden)]
#[path = "../solutions/work_queue.rs"]
pub mod work_queue_reference;
