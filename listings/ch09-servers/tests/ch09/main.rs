//! Chapter 9's tests: every server model against the shared echo suite,
//! then what sets each model apart, the load generator and the benchmark.

mod bench;
mod fork;
mod iterative;
mod load;
mod pool;
mod python;
mod suite;
mod threads;

use std::time::Duration;

/// How long a test waits to conclude that something does *not* happen
/// (a client is not served): long enough for a healthy server to have
/// answered many times over on a loaded machine.
pub const NOT_WITHIN: Duration = Duration::from_millis(300);
