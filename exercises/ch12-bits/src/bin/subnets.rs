//! Exercise 12.3: splitting a network into subnets.
//!
//! `subnets NETWORK [NEW_PREFIX]` prints, one per line, the subnets of
//! NETWORK (written `a.b.c.d/n`, or `a.b.c.d` for a /32) whose prefix
//! length is NEW_PREFIX, in order, as Python prints
//! `ipaddress.ip_network(NETWORK).subnets(new_prefix=NEW_PREFIX)`.
//! Without NEW_PREFIX it splits in two (n + 1), except a /32, which is
//! printed as it is. Errors go to standard error as `subnets: ` and
//! Python's message, with exit status 1:
//!
//! - `10.0.0.1/22 has host bits set` (an address that is not the
//!   network's first);
//! - `new prefix must be longer` (NEW_PREFIX below n);
//! - any message for an address or prefix that does not parse, or a
//!   NEW_PREFIX above 32.
//!
//! Without arguments, or with more than two: a usage line and status 2.
//!
//! Check your solution with `cargo xtask exercise 12.3`.

use std::env;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    todo!("exercise 12.3: split the network in {args:?}")
}
