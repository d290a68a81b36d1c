//! Chapter 11's exercises. Edit the files in `src/`, then check one with
//! `cargo xtask exercise 11.N`. The reference solutions are in
//! `solutions/`: `cargo test` checks those.

pub mod timeout;

#[doc(hidden)]
#[path = "../solutions/timeout.rs"]
pub mod timeout_reference;
