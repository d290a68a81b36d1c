//! `shift_width`: shifting a `u32` by N bits, where N comes from the command
//! line so that the compiler cannot see it. N of 32 or more is more than a
//! `u32` has: the four ways to ask disagree about what that means.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(Ok(n)) = env::args().nth(1).map(|arg| arg.parse::<u32>()) else {
        eprintln!("usage: shift_width N   (N: a shift count, 0 to 4294967295)");
        return ExitCode::from(2);
    };
    // ANCHOR: shifts
    let one: u32 = 1;
    // None when n >= 32: the only one that says "you cannot".
    println!("1u32.checked_shl({n})     = {:?}", one.checked_shl(n));
    // Shifts by n % 32: bit 33 does not exist, so it uses bit 1.
    println!("1u32.wrapping_shl({n})    = {}", one.wrapping_shl(n));
    // The wrapped value, and whether n was too large.
    println!("1u32.overflowing_shl({n}) = {:?}", one.overflowing_shl(n));
    // Debug build: panics. Release build: the same as wrapping_shl.
    println!("1u32 << {n}               = {}", one << n);
    // ANCHOR_END: shifts
    ExitCode::SUCCESS
}
