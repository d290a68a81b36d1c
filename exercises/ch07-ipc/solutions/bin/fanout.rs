//! Exercise 7.1: `fanout COMMAND...`, a `tee` for programs.
//!
//! Runs each COMMAND with `sh -c`, its standard input a pipe from us, and
//! copies our standard input into every one of those pipes. At end of
//! input it closes the pipes, so that each command reads end of file, and
//! waits for all of them. A command that stops reading (like `head -c 10`)
//! just stops getting input; the others go on. Exit status 0 if every
//! command exited 0; otherwise 1, with `fanout: COMMAND: STATUS` on
//! standard error for each that did not. No command: a usage line, 2.

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};

fn main() -> ExitCode {
    let commands: Vec<String> = env::args().skip(1).collect();
    if commands.is_empty() {
        eprintln!("usage: fanout COMMAND...");
        return ExitCode::from(2);
    }
    match run(&commands) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("fanout: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Whether every command succeeded.
fn run(commands: &[String]) -> io::Result<bool> {
    // std makes every pipe close-on-exec, so no command inherits the write
    // end of another's pipe: each one sees end of file when we close ours.
    let mut children: Vec<(Child, Option<ChildStdin>)> = Vec::new();
    for command in commands {
        let mut child = Command::new("sh")
            .args(["-c", command])
            .stdin(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take();
        children.push((child, stdin));
    }

    let mut input = io::stdin().lock();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        for (_, stdin) in &mut children {
            if let Some(pipe) = stdin
                && let Err(err) = pipe.write_all(&buf[..n])
            {
                // EPIPE: this command closed its input. Rust ignores
                // SIGPIPE, so we get the error instead of dying of it.
                if err.kind() != ErrorKind::BrokenPipe {
                    return Err(err);
                }
                *stdin = None;
            }
        }
    }

    // Close every write end first: end of file for every command at once,
    // even for one that waits for another before it exits.
    let mut children: Vec<Child> = children
        .into_iter()
        .map(|(child, _stdin)| child) // `_stdin` is dropped: closed
        .collect();
    let mut all_ok = true;
    for (child, command) in children.iter_mut().zip(commands) {
        let status = child.wait()?;
        if !status.success() {
            eprintln!("fanout: {command}: {status}");
            all_ok = false;
        }
    }
    Ok(all_ok)
}
