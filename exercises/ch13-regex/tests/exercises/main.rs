//! The tests of chapter 13's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 13.N` runs
//! one module against your code.

mod ex13_1;
mod ex13_2;
mod ex13_3;
