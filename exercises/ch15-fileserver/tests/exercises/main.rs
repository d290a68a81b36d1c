//! The tests of chapter 15's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 15.N` runs
//! one module against your code.

mod ex15_1;
mod ex15_2;
