//! Chapter 4's exercises. Edit the files in `src/`, then check one with
//! `cargo xtask exercise 4.N`. The reference solutions are in `solutions/`:
//! `cargo test` checks those.

pub mod pack;

#[doc(hidden)]
#[path = "../solutions/pack.rs"]
pub mod pack_reference;
