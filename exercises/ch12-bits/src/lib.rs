//! Chapter 12's exercises. Edit the files in `src/`, then check one with
//! `cargo xtask exercise 12.N`. The reference solutions are in `solutions/`:
//! `cargo test` checks those.

pub mod bitset;
pub mod chmod;

#[doc(hidden)]
#[path = "../solutions/bitset.rs"]
pub mod bitset_reference;

#[doc(hidden)]
#[path = "../solutions/chmod.rs"]
pub mod chmod_reference;
