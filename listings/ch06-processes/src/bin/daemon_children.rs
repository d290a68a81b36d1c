//! Children that end with their parent, the counterpart of Python's
//! `daemon=True`: a guard that kills the child's process group when the
//! parent returns, and PR_SET_PDEATHSIG, which works even when the parent
//! is killed. This program runs both parents as its own children and, as a
//! subreaper, watches what becomes of their children.

use std::env;
use std::error::Error;
use std::io::{self, BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{self, Child, Command, Stdio};

use ch06_processes::read_stat;
use nix::sys::prctl;
use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::waitpid;
use nix::unistd::{Pid, getppid};

// ANCHOR: guard
/// A child in its own process group. Dropping the guard kills the group,
/// the child and anything it started, then reaps the child.
struct KillOnDrop(Child);

impl KillOnDrop {
    fn spawn(command: &mut Command) -> io::Result<KillOnDrop> {
        // process_group(0): the child leads a new group whose ID is its PID.
        Ok(KillOnDrop(command.process_group(0).spawn()?))
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let group = Pid::from_raw(self.0.id() as i32);
        let _ = killpg(group, Signal::SIGTERM);
        match self.0.wait() {
            Ok(status) => println!("guard: killed group {group}: {status}"),
            Err(err) => println!("guard: waiting for {group}: {err}"),
        }
    }
}
// ANCHOR_END: guard

// ANCHOR: pdeathsig
/// `sleep 3600`, which the kernel sends SIGTERM when its parent dies.
fn sleep_with_pdeathsig() -> Command {
    let parent = process::id();
    let mut command = Command::new("sleep");
    command.arg("3600");
    // SAFETY: the closure runs in the child between fork and exec. It makes
    // two system calls, getppid(2), which is async-signal-safe, and
    // prctl(2), which is not in POSIX's list but takes no lock, and it
    // allocates nothing.
    unsafe {
        command.pre_exec(move || {
            prctl::set_pdeathsig(Signal::SIGTERM)?;
            if getppid().as_raw() as u32 != parent {
                // The parent died before we asked: no signal will come.
                return Err(io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
    command
}
// ANCHOR_END: pdeathsig

/// The parent of the first scene: starts a child under a guard, says so,
/// and returns from `main`. The guard's drop does the rest.
fn guarded_parent() -> Result<(), Box<dyn Error>> {
    let child = KillOnDrop::spawn(Command::new("sleep").arg("3600"))?;
    println!(
        "guard: parent {} started sleep {}",
        process::id(),
        child.0.id()
    );
    println!("guard: parent returns from main");
    Ok(())
}

/// The parent of the second scene: starts two children, says who they
/// are, and waits for input that never comes until it is killed.
fn crashing_parent() -> Result<(), Box<dyn Error>> {
    let with = sleep_with_pdeathsig().spawn()?;
    let without = Command::new("sleep").arg("3600").spawn()?;
    println!("{} {} {}", process::id(), with.id(), without.id());
    io::stdin().read_line(&mut String::new())?; // killed while waiting here
    Ok(())
}

// ANCHOR: main
fn main() -> Result<(), Box<dyn Error>> {
    match env::args().nth(1).as_deref() {
        Some("--guarded-parent") => return guarded_parent(),
        Some("--crashing-parent") => return crashing_parent(),
        _ => {}
    }
    // Orphaned grandchildren come to us, so we can see what became of them.
    prctl::set_child_subreaper(true)?;
    let program = env::current_exe()?;

    // Scene 1: the parent returns from main; its guard kills the child.
    let status = Command::new(&program).arg("--guarded-parent").status()?;
    println!("guard: the parent ended: {status}");

    // Scene 2: the parent is killed; no code of its own runs.
    let mut parent = Command::new(&program)
        .arg("--crashing-parent")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(parent.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
    let pids: Vec<i32> = line
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let [_, with, without] = pids[..] else {
        return Err(format!("bad line from the parent: {line:?}").into());
    };
    println!(
        "pdeathsig: parent {} started sleep {with} with PR_SET_PDEATHSIG",
        parent.id()
    );
    println!("pdeathsig: and sleep {without} without it; killing the parent with SIGKILL");
    parent.kill()?;
    println!("pdeathsig: the parent ended: {}", parent.wait()?);

    // Both sleeps are orphans now, and ours (we are a subreaper).
    let status = waitpid(Pid::from_raw(with), None)?;
    println!("pdeathsig: sleep {with}: {status:?}");
    let parent_now = read_stat(without)?.ppid; // alive: /proc still has it
    println!("pdeathsig: sleep {without}: still alive, now a child of {parent_now}; killing it");
    kill(Pid::from_raw(without), Signal::SIGKILL)?;
    let status = waitpid(Pid::from_raw(without), None)?;
    println!("pdeathsig: sleep {without}: {status:?}");
    Ok(())
}
// ANCHOR_END: main
