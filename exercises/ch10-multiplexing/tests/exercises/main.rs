//! The tests of chapter 10's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 10.N` runs
//! one module against your code.

mod ex10_1;
mod ex10_2;
mod ex10_3;
