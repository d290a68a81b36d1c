//! Chapter 13's exercises. Edit the files in `src/`, then check one with
//! `cargo xtask exercise 13.N`. The reference solutions are in
//! `solutions/`: `cargo test` checks those.

pub mod logline;
pub mod tokenizer;

#[doc(hidden)]
#[path = "../solutions/logline.rs"]
pub mod logline_reference;

#[doc(hidden)]
#[path = "../solutions/tokenizer.rs"]
pub mod tokenizer_reference;
