//! What this chapter's tests share: running a listing that forks and
//! checking that it left nothing behind, and the names of IPC objects.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use harness::{ChildGuard, DEADLINE, Output};
use nix::errno::Errno;
use nix::mqueue::{MQ_OFlag, mq_close, mq_open, mq_unlink};
use nix::sys::mman::shm_unlink;
use nix::sys::stat::Mode;

/// The path of a listing binary.
#[macro_export]
macro_rules! bin {
    ($name:literal) => {
        env!(concat!("CARGO_BIN_EXE_", $name))
    };
}

/// Whether this test process runs as root.
pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// Whether `program` is on PATH.
pub fn have(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// CAP_SYS_RESOURCE's bit in /proc/self/status (linux/capability.h).
const CAP_SYS_RESOURCE: u32 = 24;

/// Whether this process has CAP_SYS_RESOURCE, which lets a message queue
/// exceed /proc/sys/fs/mqueue/msg_max (root has it, unless a container
/// took it away).
pub fn has_cap_sys_resource() -> bool {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let caps = status
        .lines()
        .find_map(|line| line.strip_prefix("CapEff:"))
        .map(|hex| u64::from_str_radix(hex.trim(), 16).unwrap())
        .unwrap();
    caps & (1 << CAP_SYS_RESOURCE) != 0
}

/// `bin` run as the unprivileged user `nobody` (through `setpriv`) when
/// this test is root; `bin` itself otherwise. `None` when root has no
/// `setpriv`.
pub fn unprivileged(bin: &str) -> Option<Command> {
    if !is_root() {
        return Some(Command::new(bin));
    }
    if !have("setpriv") {
        eprintln!("note: running as root without setpriv; unprivileged run skipped");
        return None;
    }
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
    Some(cmd)
}

/// The processes whose process group is `pgid`.
pub fn group_members(pgid: u32) -> Vec<String> {
    let mut members = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid pgrp …: comm may hold spaces, so split
        // after its closing parenthesis.
        let Some((head, rest)) = stat.rsplit_once(") ") else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(2) == Some(&pgid.to_string().as_str()) {
            members.push(format!("{head}) state {}", fields[0]));
        }
    }
    members
}

/// Runs a listing that forks, like `harness::run`, and then checks that it
/// left no process behind: once it has exited, no process may remain in
/// its process group (a child it did not wait for would). The listing's
/// PID is returned too, to look for the IPC objects it named after it.
#[track_caller]
pub fn run_forking(cmd: &mut Command) -> (Output, u32) {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut guard = ChildGuard::spawn(cmd).unwrap();
    let pid = guard.id();
    // Should this function panic (a listing that hangs, or leaves a
    // process behind), remove what the listing may have made. On success
    // the caller checks for leftovers itself, so this guard is forgotten.
    let cleanup = Cleanup(pid);
    let stdout = drain(guard.child_mut().stdout.take().unwrap());
    let stderr = drain(guard.child_mut().stderr.take().unwrap());
    let status = guard.wait_timeout(DEADLINE).unwrap();
    let left = group_members(pid);
    let deadline = Instant::now() + Duration::from_secs(5);
    let take = |pipe: Receiver<Vec<u8>>| {
        pipe.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_default()
    };
    let (stdout, stderr) = (take(stdout), take(stderr));
    let Some(status) = status else {
        panic!(
            "`{}` did not finish within {DEADLINE:?}\nstdout:\n{}\nstderr:\n{}",
            guard.program(),
            String::from_utf8_lossy(&stdout),
            String::from_utf8_lossy(&stderr)
        );
    };
    assert!(
        left.is_empty(),
        "`{}` exited and left processes in its group: {left:?}",
        guard.program()
    );
    let out = Output {
        status,
        stdout,
        stderr,
    };
    std::mem::forget(cleanup);
    (out, pid)
}

/// Reads a pipe to its end on a thread; the bytes arrive on the channel.
fn drain(mut pipe: impl Read + Send + 'static) -> Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        let _ = tx.send(bytes);
    });
    rx
}

/// A listing that runs until a test stops it, with its output line by line.
pub struct Running {
    guard: ChildGuard,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    pub fn start(cmd: &mut Command) -> Running {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut guard = ChildGuard::spawn(cmd).unwrap();
        let stdout = guard.child_mut().stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            guard,
            lines,
            seen: Vec::new(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.guard.id()
    }

    /// The next line of standard output, waiting at most [`DEADLINE`].
    #[track_caller]
    pub fn next_line(&mut self) -> String {
        match self.lines.recv_timeout(DEADLINE) {
            Ok(line) => {
                self.seen.push(line.clone());
                line
            }
            Err(why) => panic!(
                "`{}` printed no further line ({why}); so far:\n{}",
                self.guard.program(),
                self.seen.join("\n")
            ),
        }
    }

    pub fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill(2) on our own child's PID.
        unsafe { libc::kill(self.guard.id() as libc::pid_t, signal) };
    }

    /// Waits at most [`DEADLINE`] for the exit; returns the status and
    /// every line printed.
    #[track_caller]
    pub fn wait(mut self) -> (std::process::ExitStatus, String) {
        let status = self
            .guard
            .wait_timeout(DEADLINE)
            .unwrap()
            .unwrap_or_else(|| panic!("`{}` is still running", self.guard.program()));
        let deadline = Instant::now() + Duration::from_secs(5);
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.seen.push(line);
        }
        let mut text = self.seen.join("\n");
        text.push('\n');
        (status, text)
    }
}

/// Whether the POSIX message queue `name` exists.
pub fn queue_exists(name: &str) -> bool {
    match mq_open(name, MQ_OFlag::O_RDONLY, Mode::empty(), None) {
        Ok(queue) => {
            mq_close(queue).unwrap();
            true
        }
        Err(Errno::ENOENT) => false,
        Err(errno) => panic!("mq_open {name}: {errno}"),
    }
}

/// Whether the shared memory object `name` exists (in /dev/shm).
pub fn shm_exists(name: &str) -> bool {
    Path::new("/dev/shm")
        .join(name.trim_start_matches('/'))
        .exists()
}

/// Every object in /dev/shm of this chapter named after `pid`: shared
/// memory objects, and named semaphores (`sem.NAME`).
pub fn dev_shm_of(pid: u32) -> Vec<String> {
    fs::read_dir("/dev/shm")
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("ch07-") && name.contains(&format!("-{pid}")))
        .collect()
}

/// Removes the POSIX IPC objects a listing run with PID `pid` may have
/// made, when dropped: a test that fails, or kills a listing on purpose,
/// must not leave them in the kernel. Check for leftovers before it drops.
pub struct Cleanup(pub u32);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for what in ["queue", "limits", "jobs", "shm"] {
            let name = format!("/ch07-{what}-{}", self.0);
            let _ = mq_unlink(name.as_str());
            let _ = shm_unlink(name.as_str());
        }
    }
}

/// Asserts that the run with PID `pid` left no message queue, shared
/// memory object or named semaphore behind.
#[track_caller]
pub fn assert_nothing_left(pid: u32) {
    for what in ["queue", "limits", "jobs", "shm"] {
        let name = format!("/ch07-{what}-{pid}");
        assert!(!queue_exists(&name), "message queue {name} left behind");
        assert!(!shm_exists(&name), "shared memory {name} left behind");
    }
    let left = dev_shm_of(pid);
    assert!(left.is_empty(), "left in /dev/shm: {left:?}");
}
