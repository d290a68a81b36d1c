//! A small `pstree`: draws the tree of processes under a PID (default 1)
//! from `/proc`, as `pstree -A -l -n -T` does; `-p` shows PIDs.

use std::env;
use std::error::Error;

use ch06_processes::{render_tree, snapshot};

// ANCHOR: main
fn main() -> Result<(), Box<dyn Error>> {
    let mut show_pids = false;
    let mut root = 1;
    for arg in env::args().skip(1) {
        match arg.as_str() {
            "-p" => show_pids = true,
            pid => root = pid.parse().map_err(|_| "usage: pstree_lite [-p] [PID]")?,
        }
    }
    let table = snapshot()?;
    let lines = render_tree(&table, root, show_pids);
    if lines.is_empty() {
        return Err(format!("no process {root}").into());
    }
    for line in lines {
        println!("{line}");
    }
    Ok(())
}
// ANCHOR_END: main
