//! Python's "subclass `Process` and override `run()`" pattern, in Rust: a
//! `Task` trait with a `run` method, and a `Process` struct with `start`,
//! `join`, `is_alive`, `pid`, `name` and `terminate`. The child is a fresh
//! copy of this program, told by its arguments which task to rebuild.

use std::env;
use std::error::Error;
use std::io;
use std::process::{Child, Command, ExitCode, ExitStatus};
use std::thread;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

// ANCHOR: task
/// What a child process does: Python's `run()` method.
trait Task: Sized {
    /// The argument that selects this task when the program is re-run.
    const ROLE: &'static str;
    /// The task's fields as arguments, to cross into the child.
    fn to_args(&self) -> Vec<String>;
    /// Rebuilds the task in the child from those arguments.
    fn from_args(args: &[String]) -> Result<Self, Box<dyn Error>>;
    /// The work itself. What it returns is the exit status.
    fn run(self) -> ExitCode;
}

/// Python's `multiprocessing.Process`, for any `Task`.
struct Process {
    name: String,
    command: Command,
    child: Option<Child>,
}

impl Process {
    fn new<T: Task>(name: &str, task: &T) -> io::Result<Process> {
        let mut command = Command::new(env::current_exe()?);
        command.arg(T::ROLE).args(task.to_args());
        command.env("PROCESS_NAME", name); // the child can know its name
        Ok(Process {
            name: name.to_owned(),
            command,
            child: None,
        })
    }

    fn start(&mut self) -> io::Result<()> {
        if self.child.is_some() {
            return Err(io::Error::other("a process can be started only once"));
        }
        self.child = Some(self.command.spawn()?);
        Ok(())
    }

    fn join(&mut self) -> io::Result<ExitStatus> {
        let child = self.child.as_mut().ok_or(io::Error::other("not started"))?;
        child.wait() // after the first call, returns the same status again
    }

    fn is_alive(&mut self) -> io::Result<bool> {
        match &mut self.child {
            Some(child) => Ok(child.try_wait()?.is_none()), // reaps it if it ended
            None => Ok(false),
        }
    }

    fn terminate(&self) -> io::Result<()> {
        let pid = self.pid().ok_or(io::Error::other("not started"))?;
        Ok(kill(Pid::from_raw(pid as i32), Signal::SIGTERM)?)
    }

    fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    fn name(&self) -> &str {
        &self.name
    }
}
// ANCHOR_END: task

// ANCHOR: tasks
/// Counts down from `from`, one line per number.
struct Countdown {
    from: u32,
}

impl Task for Countdown {
    const ROLE: &'static str = "--countdown";

    fn to_args(&self) -> Vec<String> {
        vec![self.from.to_string()]
    }

    fn from_args(args: &[String]) -> Result<Self, Box<dyn Error>> {
        let from = args.first().ok_or("no number")?.parse()?;
        Ok(Countdown { from })
    }

    fn run(self) -> ExitCode {
        let name = env::var("PROCESS_NAME").unwrap_or_default();
        for n in (1..=self.from).rev() {
            println!("{name}: {n}");
        }
        ExitCode::from(0)
    }
}

/// Sleeps until it is killed.
struct Sleeper;

impl Task for Sleeper {
    const ROLE: &'static str = "--sleeper";

    fn to_args(&self) -> Vec<String> {
        Vec::new()
    }

    fn from_args(_: &[String]) -> Result<Self, Box<dyn Error>> {
        Ok(Sleeper)
    }

    fn run(self) -> ExitCode {
        loop {
            thread::sleep(Duration::from_secs(3600));
        }
    }
}
// ANCHOR_END: tasks

// ANCHOR: main
fn main() -> Result<ExitCode, Box<dyn Error>> {
    let args: Vec<String> = env::args().collect();
    match args.get(1).map(String::as_str) {
        Some(Countdown::ROLE) => return Ok(Countdown::from_args(&args[2..])?.run()),
        Some(Sleeper::ROLE) => return Ok(Sleeper::from_args(&args[2..])?.run()),
        _ => {} // no role: we are the parent
    }

    let mut countdown = Process::new("countdown-1", &Countdown { from: 3 })?;
    countdown.start()?;
    let status = countdown.join()?;
    let alive = countdown.is_alive()?;
    println!("{}: {status}; alive: {alive}", countdown.name());
    let again = countdown.start().unwrap_err();
    println!("{}: start again: {again}", countdown.name());

    let mut sleeper = Process::new("sleeper-1", &Sleeper)?;
    sleeper.start()?;
    let (pid, alive) = (sleeper.pid().unwrap_or(0), sleeper.is_alive()?);
    println!("{}: pid {pid}, alive: {alive}", sleeper.name());
    sleeper.terminate()?;
    let status = sleeper.join()?;
    let alive = sleeper.is_alive()?;
    println!("{}: terminated: {status}; alive: {alive}", sleeper.name());
    Ok(ExitCode::SUCCESS)
}
// ANCHOR_END: main
