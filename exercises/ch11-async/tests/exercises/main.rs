//! The tests of chapter 11's exercises, one module each. `cargo test` runs
//! them against the reference solutions; `cargo xtask exercise 11.N` runs
//! one module against your code.

mod ex11_1;
mod ex11_2;
