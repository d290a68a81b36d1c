//! The tests of chapter 2's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 2.N` runs one
//! module against your code.

mod ex2_1;
mod ex2_2;
