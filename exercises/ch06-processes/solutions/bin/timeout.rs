//! Exercise 6.1, a solution: `timeout DURATION COMMAND [ARG...]`.

use std::env;
use std::io::ErrorKind;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitCode};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use nix::sys::signal::{SigHandler, Signal, killpg, raise};
use nix::unistd::Pid;

/// `1.5`, `2s`, `3m`, `1h`, `1d`: `Some(None)` for 0 (no limit), `None` if
/// the text is not a duration.
fn parse_duration(text: &str) -> Option<Option<Duration>> {
    let (number, scale) = match text.char_indices().last()? {
        (at, 's') => (&text[..at], 1.0),
        (at, 'm') => (&text[..at], 60.0),
        (at, 'h') => (&text[..at], 3600.0),
        (at, 'd') => (&text[..at], 86400.0),
        _ => (text, 1.0),
    };
    let seconds: f64 = number.parse().ok()?;
    if !seconds.is_finite() || seconds < 0.0 {
        return None;
    }
    if seconds == 0.0 {
        return Some(None);
    }
    Duration::try_from_secs_f64(seconds * scale).ok().map(Some)
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let [duration, program, rest @ ..] = &args[..] else {
        eprintln!("usage: timeout DURATION COMMAND [ARG...]");
        return ExitCode::from(125);
    };
    let Some(limit) = parse_duration(duration) else {
        eprintln!("timeout: invalid time interval '{duration}'");
        return ExitCode::from(125);
    };
    // A group of its own, so that one signal reaches everything it starts.
    let mut child = match Command::new(program).args(rest).process_group(0).spawn() {
        Ok(child) => child,
        Err(err) => {
            eprintln!("timeout: failed to run command '{program}': {err}");
            let code = if err.kind() == ErrorKind::NotFound {
                127
            } else {
                126
            };
            return ExitCode::from(code);
        }
    };
    let group = Pid::from_raw(child.id() as i32);

    // A thread waits for the child; this thread waits for the thread, with
    // a deadline. If the deadline passes, the group gets SIGTERM, and the
    // waiting thread still reaps the child. SIGCONT follows SIGTERM: a
    // stopped process would leave SIGTERM pending until it is continued.
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(child.wait());
    });
    let (status, timed_out) = match limit.map(|limit| finished.recv_timeout(limit)) {
        None => (finished.recv().ok(), false),
        Some(Ok(status)) => (Some(status), false),
        Some(Err(_)) => {
            let _ = killpg(group, Signal::SIGTERM);
            let _ = killpg(group, Signal::SIGCONT);
            (finished.recv().ok(), true)
        }
    };
    let status = match status {
        Some(Ok(status)) => status,
        Some(Err(err)) => {
            eprintln!("timeout: waiting for '{program}': {err}");
            return ExitCode::from(125);
        }
        None => return ExitCode::from(125),
    };
    if timed_out {
        return ExitCode::from(124);
    }
    match (status.code(), status.signal().map(Signal::try_from)) {
        (Some(code), _) => ExitCode::from(code as u8),
        (None, Some(Ok(signal))) => {
            // Die the way the command died: default action, then raise it.
            // SAFETY: SIG_DFL installs no handler.
            let _ = unsafe { nix::sys::signal::signal(signal, SigHandler::SigDfl) };
            let _ = raise(signal);
            ExitCode::from(128 + signal as u8) // a signal whose default is not to die
        }
        _ => ExitCode::from(125),
    }
}
