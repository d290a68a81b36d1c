//! The tests of chapter 5's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 5.N` runs one
//! module against your code.

mod ex5_1;
mod ex5_2;
