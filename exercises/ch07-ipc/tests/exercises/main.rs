//! The tests of chapter 7's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 7.N` runs one
//! module against your code.

mod ex7_1;
mod ex7_2;
mod ex7_3;
