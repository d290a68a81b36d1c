//! Waiting for a child with a time limit, like Python's `p.join(timeout)`,
//! then killing it if it is still running.

use std::io;
use std::os::fd::{AsFd, FromRawFd, OwnedFd};
use std::process::{Child, Command, ExitStatus};
use std::time::Duration;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

// ANCHOR: wait_timeout
/// Waits at most `timeout` for `child` to exit. `Ok(None)`: still running.
fn wait_timeout(child: &mut Child, timeout: Duration) -> io::Result<Option<ExitStatus>> {
    // A pidfd is a file descriptor for a process. It becomes readable when
    // the process exits, so poll(2) can wait for that with a timeout.
    // SAFETY: pidfd_open(2) takes a PID and flags, and returns a new fd.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, child.id(), 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the kernel just gave us this fd, and nothing else owns it.
    let pidfd = unsafe { OwnedFd::from_raw_fd(fd as i32) };
    // poll(2) counts whole milliseconds in an int: at most about 24 days.
    let timeout = PollTimeout::try_from(timeout).unwrap_or(PollTimeout::MAX);
    let mut fds = [PollFd::new(pidfd.as_fd(), PollFlags::POLLIN)];
    if poll(&mut fds, timeout)? == 0 {
        return Ok(None); // timed out
    }
    child.wait().map(Some) // it has exited: this reaps it at once
}
// ANCHOR_END: wait_timeout

// ANCHOR: main
fn main() -> io::Result<()> {
    for (seconds, timeout) in [
        ("0.1", Duration::from_secs(20)),
        ("3600", Duration::from_millis(200)),
    ] {
        let mut child = Command::new("sleep").arg(seconds).spawn()?;
        match wait_timeout(&mut child, timeout)? {
            Some(status) => println!("sleep {seconds}: ended within {timeout:?}: {status}"),
            None => {
                println!("sleep {seconds}: still running after {timeout:?}; killing it");
                child.kill()?; // SIGKILL
                let status = child.wait()?; // and reap it
                println!("sleep {seconds}: {status}");
            }
        }
    }
    Ok(())
}
// ANCHOR_END: main
