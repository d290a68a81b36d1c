//! `subreaper CMD [ARGS...]`: runs a command as a child subreaper. Orphans
//! among its descendants are re-parented to it instead of to init, and it
//! reaps every one of them. When it has no children left, it reports what
//! it reaped, in PID order, and exits with the command's status.

use std::env;
use std::error::Error;
use std::process::{self, Command, ExitCode};

use ch06_processes::read_stat;
use nix::errno::Errno;
use nix::sys::prctl;
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::Pid;

// ANCHOR: main
fn main() -> Result<ExitCode, Box<dyn Error>> {
    let args: Vec<String> = env::args().skip(1).collect();
    let (program, rest) = args.split_first().ok_or("usage: subreaper CMD [ARGS...]")?;
    prctl::set_child_subreaper(true)?;
    println!("subreaper {}: running {}", process::id(), args.join(" "));
    // The `Child` is dropped at once: the loop below reaps it like any other.
    let command = Pid::from_raw(Command::new(program).args(rest).spawn()?.id() as i32);

    let mut report = Vec::new();
    let mut exit_code = 0;
    loop {
        // WNOWAIT: learn which child died but leave it a zombie for now,
        // so that its name can still be read from /proc.
        let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT;
        let pid = match waitid(Id::All, flags) {
            Ok(status) => status.pid().ok_or("waitid returned no PID")?,
            Err(Errno::EINTR) => continue,
            Err(Errno::ECHILD) => break, // no children left, adopted or not
            Err(err) => return Err(err.into()),
        };
        let name = read_stat(pid.as_raw())?.comm;
        let (how, code) = match waitpid(pid, None)? {
            WaitStatus::Exited(_, code) => (format!("exit status {code}"), code),
            WaitStatus::Signaled(_, signal, _) => {
                (format!("killed by {signal}"), 128 + signal as i32) // as a shell says
            }
            other => (format!("{other:?}"), 1),
        };
        let whose = if pid == command {
            "my child"
        } else {
            "adopted"
        };
        report.push((
            pid,
            format!("subreaper: reaped {pid} ({name}), {how}, {whose}"),
        ));
        if pid == command {
            exit_code = code as u8;
        }
    }
    report.sort(); // in PID order: the order of reaping can vary
    for (_, line) in report {
        println!("{line}");
    }
    Ok(ExitCode::from(exit_code))
}
// ANCHOR_END: main
