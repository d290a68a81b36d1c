//! A small `ps`: reads `/proc` and prints PID, PPID, STAT and COMMAND for
//! every process, or for the PIDs given as arguments (`ps -p` style: spaces
//! or commas between them).

use std::env;
use std::error::Error;

use ch06_processes::{locked_kb, snapshot, stat_column};

// ANCHOR: main
fn main() -> Result<(), Box<dyn Error>> {
    let mut wanted = Vec::new();
    for arg in env::args().skip(1) {
        for pid in arg.split(',').filter(|pid| !pid.is_empty()) {
            let pid: i32 = pid.parse().map_err(|_| format!("not a PID: {pid}"))?;
            wanted.push(pid);
        }
    }
    let table = snapshot()?;
    println!("{:>7} {:>7} {:<5} COMMAND", "PID", "PPID", "STAT");
    for stat in table.values() {
        if !wanted.is_empty() && !wanted.contains(&stat.pid) {
            continue;
        }
        let column = stat_column(stat, locked_kb(stat.pid));
        println!("{:>7} {:>7} {column:<5} {}", stat.pid, stat.ppid, stat.comm);
    }
    Ok(())
}
// ANCHOR_END: main
