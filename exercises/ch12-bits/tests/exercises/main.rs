//! The tests of chapter 12's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 12.N` runs
//! one module against your code.

mod ex12_1;
mod ex12_2;
mod ex12_3;
