//! The tests of chapter 1's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 1.N` runs one
//! module against your code.

mod ex1_1;
mod ex1_2;
