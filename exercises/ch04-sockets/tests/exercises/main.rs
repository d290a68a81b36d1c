//! The tests of chapter 4's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 4.N` runs one
//! module against your code.

mod ex4_1;
mod ex4_2;
