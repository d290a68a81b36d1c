//! Chapter 11's tests: the hand-made executor and tokio's echo servers
//! against the shared echo suite, every listing's output, the broadcast
//! server (its lagging clients and its graceful shutdown on a real
//! SIGTERM), the hand-made runtime's timers, Python's asyncio client and
//! the benchmark's quick mode.

mod bench;
mod broadcast;
mod listings;
mod python;
mod runtime;
mod suite;
mod syscalls;
