//! Exercise 6.2, a solution: `pgrep_lite [-x] [-P PPID] PATTERN`.

use std::env;
use std::fs;
use std::process::{self, ExitCode};

/// The name (field 2) and the parent (field 4) of `/proc/<pid>/stat`. The
/// name may hold spaces and parentheses: it ends at the *last* `)`.
fn name_and_parent(pid: u32) -> Option<(String, u32)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat[open + 1..close].to_owned();
    let parent = stat[close + 1..].split_whitespace().nth(1)?.parse().ok()?;
    Some((name, parent))
}

fn usage() -> ExitCode {
    eprintln!("usage: pgrep_lite [-x] [-P PPID] PATTERN");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut exact = false;
    let mut parent = None;
    let mut pattern = None;
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-x" => exact = true,
            "-P" => match args.next().and_then(|ppid| ppid.parse::<u32>().ok()) {
                Some(ppid) => parent = Some(ppid),
                None => return usage(),
            },
            flag if flag.starts_with('-') => return usage(),
            _ if pattern.is_some() => return usage(),
            _ => pattern = Some(arg),
        }
    }
    let Some(pattern) = pattern else {
        return usage();
    };
    let Ok(entries) = fs::read_dir("/proc") else {
        eprintln!("pgrep_lite: cannot read /proc");
        return ExitCode::from(3);
    };
    let me = process::id();
    let mut found: Vec<u32> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse().ok())
        .filter(|&pid| pid != me)
        .filter(|&pid| {
            // A process that exits while we look is simply not listed.
            let Some((name, ppid)) = name_and_parent(pid) else {
                return false;
            };
            let matches = if exact {
                name == pattern
            } else {
                name.contains(&pattern)
            };
            matches && parent.is_none_or(|wanted| wanted == ppid)
        })
        .collect();
    found.sort_unstable();
    for pid in &found {
        println!("{pid}");
    }
    if found.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
