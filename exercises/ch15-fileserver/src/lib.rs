//! Chapter 15's exercises. Edit the files in `src/`, then check one with
//! `cargo xtask exercise 15.N`. The reference solutions are in `solutions/`:
//! `cargo test` checks those.

pub mod dates;
pub mod ranges;

#[doc(hidden)]
#[path = "../solutions/dates.rs"]
pub mod dates_reference;

#[doc(hidden)]
#[path = "../solutions/ranges.rs"]
pub mod ranges_reference;
