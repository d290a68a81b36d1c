//! Chapter 7's tests, one module per section. One test crate, so that the
//! chapter links one test binary.

mod common;

mod bench;
mod fork_fds;
mod mqueue;
mod pipes;
mod semaphores;
mod shm;
mod signals;
mod unix;
