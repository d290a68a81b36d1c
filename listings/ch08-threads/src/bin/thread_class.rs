//! `thread_class`: Python's "subclass Thread and override run()" pattern,
//! as a trait with a `run` method and a function that starts any type with
//! it.

use std::io;
use std::thread::{self, JoinHandle};

// ANCHOR: trait
/// A job that runs on a thread of its own: Python's `Thread` subclass.
trait Task: Send + 'static {
    /// What `run` hands back to whoever joins the thread.
    type Output: Send + 'static;
    /// The thread's work: Python's overridden `run()`.
    fn run(self) -> Self::Output;
}

/// Python's `start()`: a named thread that calls `task.run()`.
fn start<T: Task>(name: &str, task: T) -> io::Result<JoinHandle<T::Output>> {
    thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || task.run())
}
// ANCHOR_END: trait

// ANCHOR: task
/// Python's `__init__` attributes become fields.
struct SumOfSquares {
    from: u64,
    to: u64,
}

impl Task for SumOfSquares {
    type Output = u64;

    fn run(self) -> u64 {
        (self.from..=self.to).map(|n| n * n).sum()
    }
}

fn main() -> io::Result<()> {
    let halves = [
        start("low", SumOfSquares { from: 1, to: 500 })?,
        start(
            "high",
            SumOfSquares {
                from: 501,
                to: 1000,
            },
        )?,
    ];
    let mut total = 0;
    for handle in halves {
        let name = handle.thread().name().unwrap_or("?").to_owned();
        let sum = handle.join().expect("a task panicked");
        println!("thread {name:?} returned {sum}");
        total += sum;
    }
    println!("sum of squares 1..=1000: {total}");
    Ok(())
}
// ANCHOR_END: task
