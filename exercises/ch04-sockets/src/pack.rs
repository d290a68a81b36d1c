//! Exercise 4.2: Python's `struct` module, for standard-size formats.
//!
//! Write `pack`, `unpack` and `calcsize` so that they agree byte for byte
//! with Python's `struct.pack`, `struct.unpack` and `struct.calcsize` for
//! formats that start with `<`, `>`, `!` or `=` and use the codes
//! `x c b B ? h H i I l L q Q f d s`, with counts (`3h`, `10s`) and spaces
//! between codes. Refuse anything else with `PackError::BadFormat`.
//!
//! Check your solution with `cargo xtask exercise 4.2`.

/// A value to pack, or one unpacked.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// For `b B h H i I l L q Q`; `f` and `d` take one too, as in Python.
    Int(i128),
    /// For `f` and `d`.
    Float(f64),
    /// For `s` (any length) and `c` (exactly one byte).
    Bytes(Vec<u8>),
    /// For `?`.
    Bool(bool),
}

/// Why a format or a value was refused. Python raises `struct.error` for
/// each of these (and `OverflowError` for a float too large for `f`).
#[derive(Debug, Clone, PartialEq)]
pub enum PackError {
    /// The format is not `<`, `>`, `!` or `=` followed by known codes.
    BadFormat(String),
    /// The format takes `expected` values; `got` were given.
    WrongCount { expected: usize, got: usize },
    /// Value number `index` (from 0) has the wrong type for its code.
    WrongType { index: usize },
    /// Value number `index` does not fit its code.
    OutOfRange { index: usize },
    /// `unpack` needs exactly `expected` bytes; `got` were given.
    WrongLength { expected: usize, got: usize },
}

/// How many bytes `format` packs into.
pub fn calcsize(format: &str) -> Result<usize, PackError> {
    todo!("exercise 4.2: the size of {format:?}")
}

/// Packs `values` as `format` says, like Python's `struct.pack`.
pub fn pack(format: &str, values: &[Value]) -> Result<Vec<u8>, PackError> {
    todo!("exercise 4.2: pack {values:?} as {format:?}")
}

/// Unpacks `bytes` as `format` says, like Python's `struct.unpack`.
pub fn unpack(format: &str, bytes: &[u8]) -> Result<Vec<Value>, PackError> {
    todo!("exercise 4.2: unpack {bytes:?} as {format:?}")
}
