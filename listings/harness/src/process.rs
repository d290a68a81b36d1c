//! Running listing binaries with deadlines, and owning the processes.

use std::fmt;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::DEADLINE;

/// A child process that is killed and reaped when the guard is dropped,
/// also when the test panics.
///
/// The child runs in a process group of its own, so a kill also reaches
/// anything it forked: a test leaves no stray process behind.
pub struct ChildGuard {
    child: Child,
    program: String,
    reaped: Option<ExitStatus>,
}

impl ChildGuard {
    /// Spawns `cmd` as the leader of a new process group.
    pub fn spawn(cmd: &mut Command) -> io::Result<Self> {
        let program = describe(cmd);
        let child = cmd.process_group(0).spawn().map_err(|err| {
            io::Error::new(err.kind(), format!("cannot start `{program}`: {err}"))
        })?;
        Ok(Self {
            child,
            program,
            reaped: None,
        })
    }

    /// The child's process ID (also its process group ID).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The command line, for messages.
    pub fn program(&self) -> &str {
        &self.program
    }

    /// The child, to take its pipes.
    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Waits for the child to exit, at most `timeout`. `Ok(None)` means it
    /// is still running. Uses a pidfd, so the wait is an event, not a poll.
    pub fn wait_timeout(&mut self, timeout: Duration) -> io::Result<Option<ExitStatus>> {
        if let Some(status) = self.reaped {
            return Ok(Some(status));
        }
        if wait_readable(&pidfd_open(self.child.id())?, timeout)? {
            let status = self.child.wait()?;
            self.reaped = Some(status);
            Ok(Some(status))
        } else {
            Ok(None)
        }
    }

    /// Kills the child's whole process group with SIGKILL and reaps the child.
    pub fn kill(&mut self) -> io::Result<ExitStatus> {
        self.signal_group(libc::SIGKILL);
        if let Some(status) = self.reaped {
            return Ok(status);
        }
        let status = self.child.wait()?;
        self.reaped = Some(status);
        Ok(status)
    }

    /// Sends `signal` to the child's process group (e.g. `libc::SIGTERM`).
    pub fn signal_group(&self, signal: libc::c_int) {
        let pgid = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) has no memory-safety preconditions. ESRCH (the
        // group is already gone) is the expected outcome after a clean exit.
        unsafe { libc::kill(-pgid, signal) };
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        // Kill the group even when the leader has exited: a listing's
        // forked children must not outlive the test.
        let _ = self.kill();
    }
}

/// Waits at most `timeout` for the process `pid` (any process, not only a
/// child) to end. `Ok(true)` once it has exited or does not exist.
pub fn exited_within(pid: u32, timeout: Duration) -> io::Result<bool> {
    match pidfd_open(pid) {
        Ok(fd) => wait_readable(&fd, timeout),
        Err(err) if err.raw_os_error() == Some(libc::ESRCH) => Ok(true),
        Err(err) => Err(err),
    }
}

fn pidfd_open(pid: u32) -> io::Result<OwnedFd> {
    // SAFETY: pidfd_open(2) takes a pid and flags and returns a new fd or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the kernel just returned this fd to us and nobody else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as libc::c_int) })
}

/// Waits until `fd` is readable, at most `timeout`. Retries on EINTR.
fn wait_readable(fd: &OwnedFd, timeout: Duration) -> io::Result<bool> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut pollfd = libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let millis = left.as_millis().min(i32::MAX as u128) as libc::c_int;
        // SAFETY: one valid pollfd, and its count is 1.
        let ready = unsafe { libc::poll(&mut pollfd, 1, millis) };
        match ready {
            -1 => {
                let err = io::Error::last_os_error();
                if err.kind() != io::ErrorKind::Interrupted {
                    return Err(err);
                }
            }
            0 if left.is_zero() => return Ok(false),
            0 => {}
            _ => return Ok(true),
        }
    }
}

/// What a listing did: its exit status and everything it printed.
#[derive(Debug)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Output {
    /// Standard output as text (invalid UTF-8 shown as U+FFFD).
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Standard error as text (invalid UTF-8 shown as U+FFFD).
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// The exit code, or `None` if a signal ended the process.
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    /// Panics, showing stderr, unless the process exited with status 0.
    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        assert!(
            self.status.success(),
            "expected success, got {}\nstdout:\n{}\nstderr:\n{}",
            self.status,
            self.stdout_text(),
            self.stderr_text()
        );
        self
    }
}

/// What the program did, for a failure message: its exit status, then what
/// it printed on each stream.
impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the program {}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.status,
            self.stdout_text(),
            self.stderr_text()
        )
    }
}

/// Why [`try_run`] gave up.
#[derive(Debug)]
pub enum RunError {
    /// The program could not be started.
    Spawn(io::Error),
    /// The program was still running at the deadline. It has been killed
    /// (with its process group) and reaped.
    TimedOut {
        program: String,
        deadline: Duration,
        stdout: Vec<u8>,
        stderr: Vec<u8>,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Spawn(err) => write!(f, "{err}"),
            RunError::TimedOut {
                program,
                deadline,
                stdout,
                stderr,
            } => write!(
                f,
                "`{program}` did not finish within {deadline:?}; it was killed.\n\
                 stdout so far:\n{}\nstderr so far:\n{}",
                String::from_utf8_lossy(stdout),
                String::from_utf8_lossy(stderr)
            ),
        }
    }
}

impl std::error::Error for RunError {}

/// Runs `cmd` with no input and the default [`DEADLINE`]; panics with a
/// message if it cannot be started or does not finish in time.
#[track_caller]
pub fn run(cmd: &mut Command) -> Output {
    run_with(cmd, b"", DEADLINE)
}

/// Runs `cmd`, feeding it `stdin`, and panics if it takes longer than
/// `deadline`.
#[track_caller]
pub fn run_with(cmd: &mut Command, stdin: &[u8], deadline: Duration) -> Output {
    try_run(cmd, stdin, deadline).unwrap_or_else(|err| panic!("{err}"))
}

/// A pipe drained by a thread into a shared buffer; the thread says when it
/// reaches end of file.
struct Drain {
    bytes: Arc<Mutex<Vec<u8>>>,
    done: mpsc::Receiver<()>,
}

impl Drain {
    fn start(mut pipe: impl Read + Send + 'static) -> Self {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let (tx, done) = mpsc::channel();
        let sink = Arc::clone(&bytes);
        thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                match pipe.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => sink.lock().unwrap().extend_from_slice(&chunk[..n]),
                    Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = tx.send(());
        });
        Self { bytes, done }
    }

    /// Waits for end of file until `deadline`, then takes what was read.
    fn finish(self, deadline: Instant) -> (Vec<u8>, bool) {
        let left = deadline.saturating_duration_since(Instant::now());
        let complete = self.done.recv_timeout(left).is_ok();
        let bytes = std::mem::take(&mut *self.bytes.lock().unwrap());
        (bytes, complete)
    }
}

/// Runs `cmd`, feeding it `stdin`, and waits at most `deadline` for it to exit
/// and close its output. On time-out the process group is killed and reaped,
/// and the error carries what it printed so far.
pub fn try_run(cmd: &mut Command, stdin: &[u8], deadline: Duration) -> Result<Output, RunError> {
    let until = Instant::now() + deadline;
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut guard = ChildGuard::spawn(cmd).map_err(RunError::Spawn)?;
    let child = guard.child_mut();
    let mut input = child.stdin.take().expect("stdin is piped");
    let stdout = Drain::start(child.stdout.take().expect("stdout is piped"));
    let stderr = Drain::start(child.stderr.take().expect("stderr is piped"));
    let stdin = stdin.to_vec();
    // A listing that never reads its input must not block us: write from a
    // thread, and ignore EPIPE from a child that exited without reading.
    thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });

    let left = until.saturating_duration_since(Instant::now());
    let status = guard.wait_timeout(left).map_err(RunError::Spawn)?;
    // Output may still be in flight after exit; wait for EOF on both pipes
    // within the same deadline (a forked grandchild could hold them open).
    let (out, out_done) = stdout.finish(until);
    let (err, err_done) = stderr.finish(until);
    match status {
        Some(status) if out_done && err_done => Ok(Output {
            status,
            stdout: out,
            stderr: err,
        }),
        _ => {
            let program = guard.program().to_owned();
            let _ = guard.kill();
            Err(RunError::TimedOut {
                program,
                deadline,
                stdout: out,
                stderr: err,
            })
        }
    }
}

/// `program arg1 arg2`, for messages.
pub(crate) fn describe(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Waits until `check` holds, rereading the state every 10 ms, at most
/// `timeout`; returns whether it held. For states only `/proc` shows (a
/// process's state, its wait channel, its children), which nothing
/// announces, so polling with a deadline is the only way to wait for them.
pub fn wait_until(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
