//! Makes one child in each state that `ps` shows, prints their PIDs, and
//! waits for Enter (or end of input). Then it kills and reaps them all.

use std::error::Error;
use std::ffi::CStr;
use std::io::{self, BufRead};
use std::process;
use std::thread;
use std::time::{Duration, Instant};

use ch06_processes::{children_of, read_stat, snapshot};
use nix::errno::Errno;
use nix::sched::{CloneCb, CloneFlags, clone};
use nix::sys::prctl;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, wait, waitid, waitpid};
use nix::unistd::{ForkResult, Pid, fork, pause};

/// Forks a child named `name` that runs `body`, which never returns.
fn fork_child(name: &CStr, body: fn() -> !) -> nix::Result<Pid> {
    // SAFETY: this process is single-threaded while it forks (the one thread
    // it ever starts is started by a child), so the child may run any code.
    match unsafe { fork() }? {
        ForkResult::Parent { child } => Ok(child),
        ForkResult::Child => {
            let _ = prctl::set_name(name); // the name ps and /proc show
            body()
        }
    }
}

/// Waits until the kernel shows `pid` in state `want`, with a deadline.
/// There is no event for "went to sleep", so this looks every millisecond.
fn settle(pid: Pid, want: char, threads: u32) -> io::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let stat = read_stat(pid.as_raw())?;
        if stat.state == want && stat.num_threads >= threads {
            return Ok(());
        }
        if Instant::now() > deadline {
            let msg = format!("{pid} stayed in state {} instead of {want}", stat.state);
            return Err(io::Error::new(io::ErrorKind::TimedOut, msg));
        }
        thread::sleep(Duration::from_millis(1));
    }
}

// ANCHOR: children
fn running() -> ! {
    loop {
        std::hint::spin_loop(); // never blocks: always R
    }
}

fn sleeping() -> ! {
    loop {
        pause(); // blocked until a signal arrives: S
    }
}

fn threaded() -> ! {
    thread::spawn(|| -> () { sleeping() });
    sleeping()
}

fn niced() -> ! {
    // SAFETY: nice(2) only lowers this process's priority.
    unsafe { libc::nice(5) };
    sleeping()
}

fn vforking() -> ! {
    let mut stack = vec![0u8; 64 * 1024];
    let child: CloneCb = Box::new(|| {
        let _ = prctl::set_name(c"vfork-child");
        sleeping()
    });
    // CLONE_VFORK suspends this process until the child execs or exits, in
    // the kernel's "uninterruptible" (but killable) sleep: D. Without
    // CLONE_VM the child gets a copy of the memory, as with fork.
    // SAFETY: the child runs on its own 64 KiB stack and only pauses.
    let _ = unsafe {
        clone(
            child,
            &mut stack,
            CloneFlags::CLONE_VFORK,
            Some(libc::SIGCHLD),
        )
    };
    // SAFETY: _exit(2) ends the process at once, running nothing.
    unsafe { libc::_exit(0) }
}

fn zombie() -> ! {
    // SAFETY: as above.
    unsafe { libc::_exit(0) }
}
// ANCHOR_END: children

// ANCHOR: main
fn main() -> Result<(), Box<dyn Error>> {
    // Orphans of our children become ours, so that we can reap them all.
    prctl::set_child_subreaper(true)?;
    let mut family = Vec::new();

    let child = fork_child(c"running", running)?;
    family.push((child, "R", "busy in a loop: on a CPU, or queued for one"));

    let child = fork_child(c"sleeping", sleeping)?;
    settle(child, 'S', 1)?;
    family.push((child, "S", "in pause(2), waiting for a signal"));

    let child = fork_child(c"stopped", sleeping)?;
    settle(child, 'S', 1)?; // named and paused: now stop it
    kill(child, Signal::SIGSTOP)?;
    // WUNTRACED: also report a child that stopped. Returns once it has.
    waitpid(child, Some(WaitPidFlag::WUNTRACED))?;
    family.push((child, "T", "stopped by SIGSTOP"));

    let child = fork_child(c"zombie", zombie)?;
    // WNOWAIT: wait until it has exited, but leave it unreaped.
    waitid(Id::Pid(child), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT)?;
    family.push((child, "Z", "exited; its parent has not waited for it"));

    let child = fork_child(c"threaded", threaded)?;
    settle(child, 'S', 2)?;
    family.push((child, "Sl", "two threads, both in pause(2)"));

    let child = fork_child(c"niced", niced)?;
    settle(child, 'S', 1)?;
    family.push((child, "SN", "nice 5, in pause(2)"));

    let child = fork_child(c"vforking", vforking)?;
    settle(child, 'D', 1)?;
    let grandchild = *children_of(&snapshot()?, child.as_raw())
        .first()
        .ok_or("vforking has no child")?;
    let grandchild = Pid::from_raw(grandchild);
    settle(grandchild, 'S', 1)?;
    family.push((
        child,
        "D",
        "in vfork(2): waits for its child to exec or exit",
    ));
    family.push((grandchild, "S", "the child it waits for, in pause(2)"));

    println!(
        "states: pid {}; press Enter to end its children",
        process::id()
    );
    for (pid, state, what) in &family {
        let name = read_stat(pid.as_raw())?.comm;
        println!("{pid:>7} {state:<3} {name:<12} {what}");
    }
    let pids: Vec<String> = family.iter().map(|(pid, ..)| pid.to_string()).collect();
    println!("try: ps -o pid,ppid,stat,comm -p {}", pids.join(","));

    let mut line = String::new();
    io::stdin().lock().read_line(&mut line)?; // Enter, or end of input

    for (pid, ..) in &family {
        kill(*pid, Signal::SIGKILL)?; // a zombie ignores it: it is dead already
    }
    let mut reaped = 0;
    loop {
        match wait() {
            Ok(WaitStatus::Exited(..) | WaitStatus::Signaled(..)) => reaped += 1,
            Ok(_) => {}
            Err(Errno::ECHILD) => break, // no children left, not even zombies
            Err(Errno::EINTR) => {}
            Err(err) => return Err(err.into()),
        }
    }
    println!("killed and reaped {reaped} processes");
    Ok(())
}
// ANCHOR_END: main
