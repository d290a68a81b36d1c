//! Chapter 10's tests: every echo server against the shared echo suite,
//! then what sets each I/O model apart, the small listings and the
//! benchmark.

mod bench;
mod listings;
mod python;
mod servers;
mod suite;
