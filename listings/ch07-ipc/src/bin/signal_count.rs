//! `signal_count`: a child sends its parent SIGUSR1 twice and the real-time
//! signal SIGRTMIN twice, each with a number, while the parent blocks both.
//! The two SIGUSR1 arrive as one; the two SIGRTMIN arrive as two, in order.

use std::io;
use std::mem::{self, MaybeUninit};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use ch07_ipc::{fork_child, wait_child};
use libc::{SIGRTMIN, SIGUSR1, c_int, c_void, siginfo_t};

// ANCHOR: handler
static USR1_RUNS: AtomicUsize = AtomicUsize::new(0);
static RT_RUNS: AtomicUsize = AtomicUsize::new(0);
static RT_VALUES: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];

/// The handler. It interrupts the process wherever it is, even inside
/// malloc or println!, so it touches nothing but atomics.
extern "C" fn on_signal(signal: c_int, info: *mut siginfo_t, _: *mut c_void) {
    if signal == SIGUSR1 {
        USR1_RUNS.fetch_add(1, SeqCst);
    } else {
        let run = RT_RUNS.fetch_add(1, SeqCst);
        // SAFETY: with SA_SIGINFO the kernel passes a valid siginfo_t.
        let value = unsafe { (*info).si_value().sival_ptr } as usize;
        if let Some(slot) = RT_VALUES.get(run) {
            slot.store(value, SeqCst);
        }
    }
}

/// Installs `on_signal` for `signal` with sigaction(2). This listing uses
/// libc, not nix: nix's `Signal` enum has no real-time signals.
fn install(signal: c_int) -> io::Result<()> {
    // SAFETY: all zeros is a valid sigaction: no flags, an empty mask.
    let mut action: libc::sigaction = unsafe { mem::zeroed() };
    action.sa_sigaction = on_signal as *const () as usize;
    action.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
    // SAFETY: the handler only touches atomics, which is async-signal-safe.
    check(unsafe { libc::sigaction(signal, &action, ptr::null_mut()) })
}
// ANCHOR_END: handler

fn check(result: c_int) -> io::Result<()> {
    match result {
        -1 => Err(io::Error::last_os_error()),
        _ => Ok(()),
    }
}

/// Blocks (SIG_BLOCK) or unblocks (SIG_UNBLOCK) SIGUSR1 and SIGRTMIN.
fn mask(how: c_int) -> io::Result<()> {
    let mut set = MaybeUninit::uninit();
    // SAFETY: sigemptyset initialises the set before anything reads it.
    unsafe {
        libc::sigemptyset(set.as_mut_ptr());
        libc::sigaddset(set.as_mut_ptr(), SIGUSR1);
        libc::sigaddset(set.as_mut_ptr(), SIGRTMIN());
        check(libc::sigprocmask(how, set.as_ptr(), ptr::null_mut()))
    }
}

// ANCHOR: sigqueue
/// `sigqueue(3)`: a signal and one number, the only payload a signal has.
fn send(pid: libc::pid_t, signal: c_int, value: usize) -> io::Result<()> {
    let value = libc::sigval {
        sival_ptr: value as *mut libc::c_void,
    };
    // SAFETY: sigqueue takes plain values.
    check(unsafe { libc::sigqueue(pid, signal, value) })
}
// ANCHOR_END: sigqueue

fn main() -> io::Result<()> {
    // ANCHOR: main
    install(SIGUSR1)?;
    install(SIGRTMIN())?;
    mask(libc::SIG_BLOCK)?; // from now on, signals wait as "pending"
    let parent = std::process::id() as libc::pid_t;
    let sender = fork_child(|| {
        let sent = [(SIGUSR1, 1), (SIGUSR1, 2), (SIGRTMIN(), 1), (SIGRTMIN(), 2)]
            .into_iter()
            .try_for_each(|(signal, value)| send(parent, signal, value));
        if sent.is_ok() { 0 } else { 1 }
    })?;
    wait_child(sender)?; // all four are sent: the kernel holds them for us
    println!("the child sent SIGUSR1 twice, then SIGRTMIN with 1 and with 2");
    println!(
        "handler runs while blocked: {}",
        USR1_RUNS.load(SeqCst) + RT_RUNS.load(SeqCst)
    );

    mask(libc::SIG_UNBLOCK)?; // pending signals are delivered right here
    println!("SIGUSR1 handler runs: {}", USR1_RUNS.load(SeqCst));
    let values: Vec<usize> = RT_VALUES.iter().map(|value| value.load(SeqCst)).collect();
    println!(
        "SIGRTMIN handler runs: {}, values {values:?}",
        RT_RUNS.load(SeqCst)
    );
    // ANCHOR_END: main
    Ok(())
}
