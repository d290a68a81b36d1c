//! Reading the process table from `/proc`, shared by this chapter's
//! listings: `ps_lite` and `pstree_lite` print it, and the listings that
//! fork use it to show the processes they made.

use std::collections::BTreeMap;
use std::fs;
use std::io;

// ANCHOR: stat
/// The fields of `/proc/<pid>/stat` that `ps` needs for its STAT column,
/// numbered as in proc_pid_stat(5).
#[derive(Debug, Clone)]
pub struct Stat {
    /// (1) the process ID.
    pub pid: i32,
    /// (2) the command name, at most 15 bytes: what `ps -o comm` shows.
    pub comm: String,
    /// (3) one letter: R S D Z T t X I (see the chapter's table).
    pub state: char,
    /// (4) the parent's process ID.
    pub ppid: i32,
    /// (5) the process group ID.
    pub pgrp: i32,
    /// (6) the session ID.
    pub session: i32,
    /// (8) the foreground process group of the controlling terminal, or -1.
    pub tpgid: i32,
    /// (19) the nice value, -20 (most favoured) to 19.
    pub nice: i32,
    /// (20) the number of threads.
    pub num_threads: u32,
}

/// Reads `/proc/<pid>/stat`. Fails with `NotFound` if the process is gone.
pub fn read_stat(pid: i32) -> io::Result<Stat> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat"))?;
    parse_stat(&text)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("bad /proc/{pid}/stat")))
}

/// Parses one line of `/proc/<pid>/stat`.
///
/// The name sits in parentheses and may itself hold spaces and `)`, so it
/// runs from the first `(` to the *last* `)`; the fields after it are
/// separated by single spaces.
pub fn parse_stat(text: &str) -> Option<Stat> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let pid = text[..open].trim().parse().ok()?;
    let comm = text[open + 1..close].to_owned();
    // Field 3 onwards; fields[0] is field 3.
    let fields: Vec<&str> = text[close + 1..].split_whitespace().collect();
    let field = |n: usize| fields.get(n - 3).copied();
    Some(Stat {
        pid,
        comm,
        state: field(3)?.chars().next()?,
        ppid: field(4)?.parse().ok()?,
        pgrp: field(5)?.parse().ok()?,
        session: field(6)?.parse().ok()?,
        tpgid: field(8)?.parse().ok()?,
        nice: field(19)?.parse().ok()?,
        num_threads: field(20)?.parse().ok()?,
    })
}
// ANCHOR_END: stat

// ANCHOR: stat_column
/// `ps`'s STAT column: the state letter, then its flags in `ps`'s order.
/// `locked_kb` is the `VmLck` line of `/proc/<pid>/status` (0 if absent).
pub fn stat_column(stat: &Stat, locked_kb: u64) -> String {
    let mut column = String::from(stat.state);
    if stat.nice < 0 {
        column.push('<'); // high priority: not nice to others
    } else if stat.nice > 0 {
        column.push('N'); // low priority: nice to others
    }
    if locked_kb > 0 {
        column.push('L'); // has pages locked into memory (mlock)
    }
    if stat.session == stat.pid {
        column.push('s'); // leads its session
    }
    if stat.num_threads > 1 {
        column.push('l'); // multi-threaded
    }
    if stat.pgrp == stat.tpgid {
        column.push('+'); // in its terminal's foreground process group
    }
    column
}

/// The `VmLck` value of `/proc/<pid>/status`, in kB; 0 for kernel threads
/// and zombies, which have no memory.
pub fn locked_kb(pid: i32) -> u64 {
    let Ok(status) = fs::read_to_string(format!("/proc/{pid}/status")) else {
        return 0;
    };
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmLck:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
// ANCHOR_END: stat_column

// ANCHOR: snapshot
/// Every process in `/proc` at one moment, by PID.
///
/// `/proc` changes while you read it: a process listed by `read_dir` may be
/// gone before its `stat` is read. Such a process is skipped, as `ps` does.
pub fn snapshot() -> io::Result<BTreeMap<i32, Stat>> {
    let mut table = BTreeMap::new();
    for entry in fs::read_dir("/proc")? {
        let name = entry?.file_name();
        // Only the numeric entries are processes (`self`, `net`, … are not).
        let Some(pid) = name.to_str().and_then(|name| name.parse::<i32>().ok()) else {
            continue;
        };
        match read_stat(pid) {
            Ok(stat) => {
                table.insert(pid, stat);
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {} // it exited
            Err(err) if err.raw_os_error() == Some(libc::ESRCH) => {} // it exited
            Err(err) => return Err(err),
        }
    }
    Ok(table)
}

/// The PIDs of `pid`'s children in `table`, in ascending order.
pub fn children_of(table: &BTreeMap<i32, Stat>, pid: i32) -> Vec<i32> {
    table
        .values()
        .filter(|stat| stat.ppid == pid && stat.pid != pid)
        .map(|stat| stat.pid)
        .collect()
}
// ANCHOR_END: snapshot

// ANCHOR: tree
/// Draws the tree of processes under `root` the way
/// `pstree -A -l -n -T` does (ASCII lines, no truncation, children in PID
/// order, no threads); with `show_pids`, as `pstree -p` does.
pub fn render_tree(table: &BTreeMap<i32, Stat>, root: i32, show_pids: bool) -> Vec<String> {
    let Some(stat) = table.get(&root) else {
        return Vec::new();
    };
    let label = if show_pids {
        format!("{}({})", stat.comm, stat.pid)
    } else {
        stat.comm.clone()
    };
    let children: Vec<Vec<String>> = children_of(table, root)
        .into_iter()
        .map(|child| render_tree(table, child, show_pids))
        .collect();
    let pad = " ".repeat(label.chars().count());
    let mut lines = Vec::new();
    let count = children.len();
    for (index, child) in children.into_iter().enumerate() {
        let (head, rest) = match (index, count) {
            (0, 1) => (format!("{label}---"), format!("{pad}   ")),
            (0, _) => (format!("{label}-+-"), format!("{pad} | ")),
            (i, n) if i + 1 < n => (format!("{pad} |-"), format!("{pad} | ")),
            _ => (format!("{pad} `-"), format!("{pad}   ")),
        };
        for (line_no, line) in child.into_iter().enumerate() {
            let prefix = if line_no == 0 { &head } else { &rest };
            lines.push(format!("{prefix}{line}"));
        }
    }
    if lines.is_empty() {
        lines.push(label);
    }
    lines
}
// ANCHOR_END: tree
