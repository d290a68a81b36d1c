//! Chapter 1's exercises. Edit the programs in `src/bin/`, then check one
//! with `cargo xtask exercise 1.N`. The reference solutions are in
//! `solutions/`: `cargo test` checks those.
