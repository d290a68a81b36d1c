//! `echo_fork [addr]`: an echo server with one process per connection. The
//! parent accepts and forks; each child serves one client and exits; a
//! SIGCHLD handler reaps the children, so none is left a zombie.

use std::env;
use std::io;
use std::net::{TcpListener, TcpStream};
use std::process::{self, ExitCode};

use nix::errno::Errno;
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};

use ch09_servers::{accept_failed, connection_failed, echo, listen};

const PROGRAM: &str = "echo_fork";

fn main() -> ExitCode {
    let addr = env::args().nth(1);
    let addr = addr.as_deref().unwrap_or("127.0.0.1:7878");
    match run(addr) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{PROGRAM}: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: reap
/// Runs in the parent whenever children have exited. Signals do not queue:
/// one SIGCHLD can stand for several exits, so reap until none is left.
extern "C" fn reap_children(_signal: libc::c_int) {
    // waitpid is async-signal-safe; it may change errno, which the code
    // this handler interrupted may be about to read.
    let saved = Errno::last_raw();
    while let Ok(status) = waitpid(None, Some(WaitPidFlag::WNOHANG)) {
        if status == WaitStatus::StillAlive {
            break; // children remain, none has exited
        }
    }
    Errno::set_raw(saved);
}

fn reap_children_on_sigchld() -> nix::Result<()> {
    let action = SigAction::new(
        SigHandler::Handler(reap_children),
        // SA_RESTART: system calls interrupted by the handler resume by
        // themselves. SA_NOCLDSTOP: no signal when a child merely stops.
        SaFlags::SA_RESTART | SaFlags::SA_NOCLDSTOP,
        SigSet::empty(),
    );
    // SAFETY: the handler calls only async-signal-safe functions.
    unsafe { sigaction(Signal::SIGCHLD, &action) }?;
    Ok(())
}
// ANCHOR_END: reap

// ANCHOR: run
fn run(addr: &str) -> io::Result<()> {
    let listener = listen(addr)?;
    reap_children_on_sigchld()?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (stream, _peer) = match listener.accept() {
            Ok(connection) => connection,
            Err(err) => {
                accept_failed(PROGRAM, &err);
                continue;
            }
        };
        // SAFETY: this process has one thread, so the child is a complete
        // copy of it and may do anything the parent could.
        match unsafe { fork() } {
            Ok(ForkResult::Child) => serve_and_exit(listener, stream),
            // The child has its own copy of the connection's descriptor.
            // Close ours, or the client never sees the connection end.
            Ok(ForkResult::Parent { .. }) => drop(stream),
            Err(err) => {
                // EAGAIN: too many processes. This client is turned away.
                eprintln!("{PROGRAM}: fork: {err}");
                drop(stream);
            }
        }
    }
}

/// The child: serve one client, then exit.
fn serve_and_exit(listener: TcpListener, stream: TcpStream) -> ! {
    drop(listener); // accepting is the parent's job
    let code = match echo(&stream) {
        Ok(_) => 0,
        Err(err) => {
            connection_failed(PROGRAM, &err);
            1
        }
    };
    drop(stream);
    process::exit(code)
}
// ANCHOR_END: run
