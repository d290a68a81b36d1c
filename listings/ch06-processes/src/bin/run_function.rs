//! Python's `Process(target=f, args=(x,))` runs a function in a child. A
//! Rust program does it by running itself again, with an argument that
//! says which function to run and with what.

use std::env;
use std::error::Error;
use std::process::{Command, Stdio};

// ANCHOR: target
/// The function each child runs: how many primes are below `limit`.
fn count_primes(limit: u64) -> usize {
    (2..limit)
        .filter(|n| (2..).take_while(|d| d * d <= *n).all(|d| n % d != 0))
        .count()
}

/// The argument that tells a copy of this program to be a child.
const ROLE: &str = "--count-primes";
// ANCHOR_END: target

// ANCHOR: main
fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = env::args().collect();
    if let [_, role, limit] = &args[..]
        && role == ROLE
    {
        // We are a child: run the function, report on stdout, and exit.
        println!("{}", count_primes(limit.parse()?));
        return Ok(());
    }

    // We are the parent: start one child per argument, like p.start().
    let program = env::current_exe()?; // this very binary
    let mut children = Vec::new();
    for limit in [10_000, 20_000, 40_000] {
        let child = Command::new(&program)
            .args([ROLE, &limit.to_string()])
            .stdout(Stdio::piped())
            .spawn()?;
        children.push((limit, child));
    }
    // Then wait for each, like p.join(), and collect what it reported.
    for (limit, child) in children {
        let pid = child.id();
        let output = child.wait_with_output()?;
        let result = String::from_utf8(output.stdout)?;
        println!(
            "count_primes({limit}) = {} in child {pid}: {}",
            result.trim(),
            output.status
        );
    }
    Ok(())
}
// ANCHOR_END: main
