//! What the suite measures of a running server: its processes, CPU time,
//! memory and open descriptors, all read from `/proc`.

use std::fs;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::Duration;

use harness::Server;

/// One line of `/proc/<pid>/stat`, the fields the suite needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub pid: u32,
    /// `R` running, `S` sleeping, `Z` zombie, …
    pub state: char,
    pub pgrp: u32,
    /// Clock ticks spent in user and kernel mode, all threads included.
    pub ticks: u64,
}

/// Reads `/proc/<pid>/stat`; `None` if the process is gone.
pub fn stat(pid: u32) -> Option<Stat> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces or `)`: the
    // fields start after the last `)`.
    let (_, rest) = text.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state): field n is fields[n - 3].
    let number = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    Some(Stat {
        pid,
        state: fields.first()?.chars().next()?,
        pgrp: number(5)? as u32,
        ticks: number(14)? + number(15)?,
    })
}

/// Every process in process group `pgid`: a server started by the harness
/// leads its own group, so this is the server and every process it forked.
pub fn group(pgid: u32) -> Vec<Stat> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(stat)
        .filter(|stat| stat.pgrp == pgid)
        .collect()
}

/// CPU time (user + system) used so far by the processes of group `pgid`.
pub fn cpu_time(pgid: u32) -> Duration {
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    let ticks: u64 = group(pgid).iter().map(|stat| stat.ticks).sum();
    Duration::from_millis(ticks * 1000 / per_second)
}

/// Looks every 10 ms, for `window`, at whether some thread of some process
/// of group `pgid` is running or runnable (state `R` in
/// `/proc/<pid>/task/<tid>/stat`); returns (looks, looks that found one).
/// A thread that waits in a system call sleeps (`S`); one that loops is
/// `R` even while other programs keep it off the CPU, so this shows a loop
/// on a busy machine too.
pub fn runnable_samples(pgid: u32, window: Duration) -> (usize, usize) {
    let pids: Vec<u32> = group(pgid).iter().map(|process| process.pid).collect();
    let end = std::time::Instant::now() + window;
    let (mut looks, mut runnable) = (0, 0);
    while std::time::Instant::now() < end {
        let any = pids.iter().any(|pid| {
            fs::read_dir(format!("/proc/{pid}/task"))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|task| fs::read_to_string(task.path().join("stat")).ok())
                .any(|text| {
                    text.rsplit_once(')')
                        .and_then(|(_, rest)| rest.split_whitespace().next())
                        == Some("R")
                })
        });
        looks += 1;
        runnable += usize::from(any);
        std::thread::sleep(Duration::from_millis(10));
    }
    (looks, runnable)
}

/// Asserts that the processes of group `pgid`, which ought to be blocked
/// waiting, do not loop. Over a quarter of a second they must use less
/// than 75 ms of CPU, and must not be both runnable in half of the looks
/// or more and using CPU (10 ms or more). A loop that a busy machine keeps
/// off the CPU still gets its share, some 20 ms in this window with 25
/// runnable threads on 2 cores; a server that wakes now and then, and
/// waits in the run queue for its turn, may look runnable while it uses
/// next to nothing (seen at such a load). `what` says what the server was
/// doing, for the message.
#[track_caller]
pub fn assert_not_spinning(pgid: u32, what: impl FnOnce() -> String) {
    const WINDOW: Duration = Duration::from_millis(250);
    let before = cpu_time(pgid);
    let (looks, runnable) = runnable_samples(pgid, WINDOW);
    let used = cpu_time(pgid) - before;
    let mostly_runnable = runnable * 2 >= looks && used >= Duration::from_millis(10);
    assert!(
        used < Duration::from_millis(75) && !mostly_runnable,
        "{}: used {used:?} of CPU in {WINDOW:?} and was runnable in {runnable} of {looks} \
         looks: it spins",
        what()
    );
}

/// A `kB` field of `/proc/<pid>/<file>` (such as `VmRSS` in `status`), in
/// bytes; 0 if the process or the field is gone.
fn kib_field(pid: u32, file: &str, field: &str) -> u64 {
    let text = fs::read_to_string(format!("/proc/{pid}/{file}")).unwrap_or_default();
    text.lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kib| kib * 1024)
}

/// Resident memory of group `pgid`, in bytes: the sum of each process's
/// `VmRSS`. Pages that forked processes share are counted once per process,
/// so for a forking server this overstates; it is an upper bound.
pub fn rss(pgid: u32) -> u64 {
    group(pgid)
        .iter()
        .map(|stat| kib_field(stat.pid, "status", "VmRSS"))
        .sum()
}

/// Proportional set size of group `pgid`, in bytes: each process's
/// resident pages, a page shared by n processes counted 1/n in each
/// (`/proc/<pid>/smaps_rollup`). The sum is what the group costs.
pub fn pss(pgid: u32) -> u64 {
    group(pgid)
        .iter()
        .map(|stat| kib_field(stat.pid, "smaps_rollup", "Pss"))
        .sum()
}

/// How many threads process `pid` has (`Threads` in `/proc/<pid>/status`).
pub fn threads(pid: u32) -> usize {
    let text = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// How many descriptors process `pid` has open (entries of `/proc/<pid>/fd`).
pub fn open_fds(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |dir| dir.count())
}

/// Sets this process's soft limit on open files to at least `wanted`, up
/// to the hard limit, and returns the soft limit now in force. Children
/// inherit it.
pub fn raise_nofile(wanted: u64) -> io::Result<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit, which `limit` is.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    if limit.rlim_cur >= wanted {
        return Ok(limit.rlim_cur);
    }
    limit.rlim_cur = wanted.min(limit.rlim_max);
    // SAFETY: setrlimit reads one rlimit.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(limit.rlim_cur)
}

/// Starts the server `bin` on `127.0.0.1:0` with `args`, its limit on open
/// files (`RLIMIT_NOFILE`, soft and hard) set to `nofile`, as
/// `prlimit --nofile=N:N -- bin` would.
#[track_caller]
pub fn start_with_nofile(bin: &str, args: &[&str], nofile: u64) -> Server {
    let mut cmd = Command::new(bin);
    cmd.arg("127.0.0.1:0").args(args);
    let limit = libc::rlimit {
        rlim_cur: nofile,
        rlim_max: nofile,
    };
    // SAFETY: the closure runs in the child between fork and exec, and
    // makes one async-signal-safe system call.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                Ok(())
            } else {
                Err(io::Error::last_os_error())
            }
        });
    }
    Server::start_command(&mut cmd)
}
