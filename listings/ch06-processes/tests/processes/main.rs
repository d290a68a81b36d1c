//! Chapter 6's tests, one module per section, in one test binary (one
//! link instead of eight).
//!
//! Every listing runs in a process group of its own. After it ends, the
//! tests check that no process of that group is left (`common::run_owned`):
//! every child a listing makes is reaped, by the listing or by whoever
//! adopts it, and nothing stays behind.

mod common;

mod command;
mod exit;
mod fork;
mod orphans;
mod pool;
mod states;
mod zombies;
