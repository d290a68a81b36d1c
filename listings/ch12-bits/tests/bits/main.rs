//! Chapter 12's tests, one module per section, in one test binary (one
//! link instead of eight). Where the page says what Python does, a test
//! runs `python3` and checks it.

mod common;

mod bases;
mod flags;
mod mode;
mod netcalc;
mod oflag;
mod operators;
mod poll;
mod python;
