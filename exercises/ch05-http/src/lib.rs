//! Chapter 5's exercises. Edit the files in `src/`, then check one with
//! `cargo xtask exercise 5.N`. The reference solutions are in `solutions/`:
//! `cargo test` checks those.

pub mod chunked;
pub mod http_date;

#[doc(hidden)]
#[path = "../solutions/chunked.rs"]
pub mod chunked_reference;

#[doc(hidden)]
#[path = "../solutions/http_date.rs"]
pub mod http_date_reference;
