//! Exercise 6.3, a solution: `reap_all COMMAND...`.

use std::collections::HashMap;
use std::env;
use std::io::{self, Write};
use std::process::{Command, ExitCode};

use nix::errno::Errno;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

fn main() -> ExitCode {
    let commands: Vec<String> = env::args().skip(1).collect();
    if commands.is_empty() {
        eprintln!("usage: reap_all COMMAND...");
        return ExitCode::from(2);
    }
    let mut all_ok = true;
    // PID → position among the arguments, for the children still running.
    let mut running = HashMap::new();
    for (index, command) in commands.iter().enumerate() {
        match Command::new("sh").arg("-c").arg(command).spawn() {
            // The `Child` is dropped, which neither kills nor waits: the
            // loop below reaps it with waitpid.
            Ok(child) => {
                running.insert(Pid::from_raw(child.id() as i32), index);
            }
            Err(err) => {
                eprintln!("reap_all: cannot start sh: {err}");
                all_ok = false;
            }
        }
    }
    let mut out = io::stdout().lock();
    while !running.is_empty() {
        // None: whichever child ends first.
        let (pid, how, ok) = match waitpid(None, None) {
            Ok(WaitStatus::Exited(pid, code)) => (pid, format!("exit status {code}"), code == 0),
            Ok(WaitStatus::Signaled(pid, signal, _)) => (pid, format!("killed by {signal}"), false),
            Ok(_) | Err(Errno::EINTR) => continue,
            Err(err) => {
                eprintln!("reap_all: waitpid: {err}");
                return ExitCode::from(1);
            }
        };
        if let Some(index) = running.remove(&pid) {
            let _ = writeln!(out, "[{}] {how}: {}", index + 1, commands[index]);
            let _ = out.flush();
            all_ok &= ok;
        }
    }
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
