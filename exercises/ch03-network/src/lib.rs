//! Chapter 3's exercises. Edit the files in `src/`, then check one with
//! `cargo xtask exercise 3.N`. The reference solutions are in `solutions/`:
//! `cargo test` checks those.

pub mod ipv4;

#[doc(hidden)]
#[path = "../solutions/ipv4.rs"]
pub mod ipv4_reference;
