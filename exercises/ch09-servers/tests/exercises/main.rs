//! The tests of chapter 9's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 9.N` runs one
//! module against your code.

mod ex9_1;
mod ex9_2;
mod ex9_3;
