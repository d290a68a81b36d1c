//! The tests of chapter 3's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 3.N` runs one
//! module against your code.

mod ex3_1;
mod ex3_2;
