//! Test helpers shared by every listing test of *Systems I/O in Rust*.
//!
//! A listing test reads like the prose it backs:
//!
//! ```no_run
//! use std::process::Command;
//! let out = harness::run(&mut Command::new("pwd"));
//! assert!(out.status.success());
//! ```
//!
//! Every wait has a deadline. A child that does not finish in time is killed
//! with its whole process group, reaped, and reported as a test failure that
//! says what it printed so far. Nothing here sleeps to synchronise.

mod output;
mod process;
mod server;

pub use output::{Normalizer, assert_output, describe_mismatch, output_path, tidy};
pub use process::{
    ChildGuard, Output, RunError, exited_within, run, run_with, try_run, wait_until,
};
pub use server::{Server, connect};

/// Re-exported so that [`check_output!`] works without a direct dependency.
pub use expect_test;

use std::time::Duration;

/// How long a listing may take before a test gives up on it. Generous, so a
/// loaded 2-core CI machine does not fail a healthy test; a hung listing
/// still fails in seconds rather than hanging CI.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Compares `actual` with an output file shown in the book.
///
/// The path is relative to the test file, as with expect-test's
/// `expect_file!`: `check_output!("../output/pwd.txt", &text)`. On a mismatch
/// the test fails naming the output file and its first differing line; with
/// `UPDATE_EXPECT=1` (what `cargo xtask bless` sets) the file is rewritten.
#[macro_export]
macro_rules! check_output {
    ($path:expr, $actual:expr $(,)?) => {
        $crate::assert_output($crate::expect_test::expect_file![$path], $actual)
    };
}

/// The path of an exercise's binary, for the exercise's tests.
///
/// An exercise package has a default feature `reference`. With it (what
/// `cargo test` builds), this is the reference solution, the binary
/// `<name>-reference`; without it (what `cargo xtask exercise N.M` builds),
/// it is the reader's own `<name>`. The `cfg` is evaluated in the calling
/// crate, so the exercise package's feature decides.
#[macro_export]
macro_rules! exercise_bin {
    ($name:literal) => {{
        #[cfg(feature = "reference")]
        let bin = env!(concat!("CARGO_BIN_EXE_", $name, "-reference"));
        #[cfg(not(feature = "reference"))]
        let bin = env!(concat!("CARGO_BIN_EXE_", $name));
        bin
    }};
}
