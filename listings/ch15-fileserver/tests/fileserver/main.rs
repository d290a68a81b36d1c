//! Tests of chapter 15's `fileserver`: one test crate, one module per
//! concern.
mod bad_input;
mod bench;
mod browser;
mod common;
mod features;
mod interop;
mod limits;
mod unit;
