//! Exercise 4.1: a UDP client that retries, with a deadline.
//!
//! `udp_retry ADDR MESSAGE` sends MESSAGE as one datagram to ADDR and prints
//! the first reply. With no reply after 100 ms it sends again, doubling the
//! wait each time (100, 200, 400, 800 ms): four sends at most. Replies from
//! any other address are ignored. After the fourth wait it gives up with
//! `udp_retry: no reply from ADDR after 4 tries` on standard error and exit
//! status 1. Bad arguments: a usage line on standard error, exit status 2.
//!
//! Check your solution with `cargo xtask exercise 4.1`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 4.1: send {args:?} over UDP, retrying as described above")
}
