//! A process pool, the counterpart of Python's `multiprocessing.Pool`: a
//! fixed set of worker processes, started once and fed jobs over pipes.
//! `apply_async` queues a job and returns a handle to its result; `close`
//! says no more jobs will come; `join` waits for the workers to finish.
//!
//! `pool` runs ten jobs on three workers. `pool --stdin` reads one job per
//! line until end of input and prints which worker ran each.

use std::collections::{BTreeSet, VecDeque};
use std::env;
use std::error::Error;
use std::io::{self, BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::{self, JoinHandle};

/// The job: how many primes are below `limit`.
fn count_primes(limit: u64) -> u64 {
    (2..limit)
        .filter(|n| (2..).take_while(|d| d * d <= *n).all(|d| n % d != 0))
        .count() as u64
}

// ANCHOR: worker
/// The argument that makes a copy of this program a worker.
const WORKER: &str = "--worker";

/// A worker's whole life: one job per line on stdin, one result per line
/// on stdout, until end of input.
fn worker() -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        let limit = line?.trim().parse().map_err(io::Error::other)?;
        writeln!(stdout, "{}", count_primes(limit))?; // a newline flushes stdout
    }
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: types
/// A job's result and the PID of the worker that computed it, or why
/// there is none.
type Reply = Result<(u64, u32), String>;

/// Everything the pool's dispatcher thread reacts to, in one channel.
enum Event {
    /// From `apply_async`: a job and where its result goes.
    Job(u64, Sender<Reply>),
    /// From `close`: no more jobs.
    Close,
    /// From the thread reading worker `index`'s stdout: a result line.
    Result { index: usize, line: String },
    /// From the same thread: the worker's stdout ended, so it has exited.
    Gone { index: usize },
}

struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Where the result of the job it is running goes, if it has one.
    busy: Option<Sender<Reply>>,
}

/// The handle `apply_async` returns, like Python's `AsyncResult`.
struct AsyncResult(Receiver<Reply>);

impl AsyncResult {
    /// Waits for the result.
    fn get(self) -> Reply {
        self.0
            .recv()
            .unwrap_or_else(|_| Err("the pool ended first".into()))
    }
}
// ANCHOR_END: types

// ANCHOR: start_worker
/// Starts worker `index`: this program again, with pipes for stdin and
/// stdout, and a thread that turns its output into events.
fn start_worker(index: usize, events: &Sender<Event>) -> io::Result<Worker> {
    let mut child = Command::new(env::current_exe()?)
        .arg(WORKER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().ok_or(io::Error::other("no stdout"))?;
    let events = events.clone();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if events.send(Event::Result { index, line }).is_err() {
                return; // the pool is gone
            }
        }
        let _ = events.send(Event::Gone { index });
    });
    let stdin = child.stdin.take();
    Ok(Worker {
        child,
        stdin,
        busy: None,
    })
}
// ANCHOR_END: start_worker

// ANCHOR: dispatch
/// The dispatcher thread: gives each job to an idle worker, one job per
/// worker at a time, and routes each result to its `AsyncResult`.
fn dispatch(
    mut workers: Vec<Worker>,
    inbox: Receiver<Event>,
    events: Sender<Event>,
) -> io::Result<()> {
    let mut queue = VecDeque::new();
    let mut closed = false;
    loop {
        for worker in workers.iter_mut().filter(|worker| worker.busy.is_none()) {
            let Some((limit, reply)) = queue.pop_front() else {
                break;
            };
            if let Some(stdin) = &mut worker.stdin {
                // If the worker has just died, this fails; its Gone event
                // follows and fails the job.
                let _ = writeln!(stdin, "{limit}");
            }
            worker.busy = Some(reply);
        }
        if closed && queue.is_empty() && workers.iter().all(|worker| worker.busy.is_none()) {
            break;
        }
        match inbox.recv() {
            Ok(Event::Job(limit, reply)) => queue.push_back((limit, reply)),
            Ok(Event::Close) | Err(_) => closed = true,
            Ok(Event::Result { index, line }) => {
                let worker = &mut workers[index];
                let reply = line.parse().map(|n| (n, worker.child.id()));
                if let Some(sender) = worker.busy.take() {
                    let _ = sender.send(reply.map_err(|err| format!("bad result {line:?}: {err}")));
                }
            }
            Ok(Event::Gone { index }) => {
                // The worker died (or was killed): reap it, fail its job,
                // and start a new worker in its place.
                let pid = workers[index].child.id();
                let status = workers[index].child.wait()?;
                if let Some(sender) = workers[index].busy.take() {
                    let _ = sender.send(Err(format!("worker {pid} died: {status}")));
                }
                workers[index] = start_worker(index, &events)?;
            }
        }
    }
    // Every job is done. Closing each worker's stdin ends its loop; then
    // reap every worker, so that none is left behind as a zombie.
    for worker in &mut workers {
        worker.stdin = None;
    }
    for worker in &mut workers {
        worker.child.wait()?;
    }
    Ok(())
}
// ANCHOR_END: dispatch

// ANCHOR: pool
/// Python's `multiprocessing.Pool`, for one job function.
struct Pool {
    events: Sender<Event>,
    dispatcher: Option<JoinHandle<io::Result<()>>>,
    closed: bool,
}

impl Pool {
    /// Starts `size` workers, like `Pool(size)`.
    fn new(size: usize) -> io::Result<Pool> {
        let (events, inbox) = mpsc::channel();
        let workers = (0..size)
            .map(|index| start_worker(index, &events))
            .collect::<io::Result<Vec<_>>>()?;
        let for_dispatcher = events.clone();
        let dispatcher = thread::spawn(move || dispatch(workers, inbox, for_dispatcher));
        Ok(Pool {
            events,
            dispatcher: Some(dispatcher),
            closed: false,
        })
    }

    /// Queues one job and returns at once, like `pool.apply_async(f, (limit,))`.
    fn apply_async(&self, limit: u64) -> io::Result<AsyncResult> {
        if self.closed {
            return Err(io::Error::other("the pool is closed"));
        }
        let (reply, result) = mpsc::channel();
        self.events
            .send(Event::Job(limit, reply))
            .map_err(io::Error::other)?;
        Ok(AsyncResult(result))
    }

    /// No more jobs, like `pool.close()`. Queued jobs still run.
    fn close(&mut self) {
        self.closed = true;
        let _ = self.events.send(Event::Close);
    }

    /// Waits until every job is done and every worker has exited and been
    /// reaped, like `pool.join()`. Closes the pool first if need be.
    fn join(mut self) -> io::Result<()> {
        self.close();
        match self.dispatcher.take() {
            Some(dispatcher) => dispatcher
                .join()
                .map_err(|_| io::Error::other("dispatcher panicked"))?,
            None => Ok(()),
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.close();
        if let Some(dispatcher) = self.dispatcher.take() {
            let _ = dispatcher.join();
        }
    }
}
// ANCHOR_END: pool

// ANCHOR: main
fn main() -> Result<(), Box<dyn Error>> {
    let mode = env::args().nth(1);
    if mode.as_deref() == Some(WORKER) {
        return Ok(worker()?);
    }
    let from_stdin = mode.as_deref() == Some("--stdin");
    let mut pool = Pool::new(3)?;

    let mut results = Vec::new();
    if from_stdin {
        for line in io::stdin().lock().lines() {
            let limit: u64 = line?.trim().parse()?;
            results.push((limit, pool.apply_async(limit)?));
        }
    } else {
        for limit in (1..=10).map(|n| n * 10_000) {
            results.push((limit, pool.apply_async(limit)?));
        }
    }
    pool.close();

    let mut workers = BTreeSet::new();
    for (limit, result) in results {
        match result.get() {
            Ok((count, pid)) if from_stdin => println!("{limit} {count} {pid}"),
            Ok((count, pid)) => {
                println!("count_primes({limit}) = {count}");
                workers.insert(pid);
            }
            Err(err) => println!("count_primes({limit}) failed: {err}"),
        }
    }
    pool.join()?;
    if !from_stdin {
        let pids: Vec<String> = workers.iter().map(u32::to_string).collect();
        println!("the jobs ran in worker processes {}", pids.join(", "));
    }
    Ok(())
}
// ANCHOR_END: main
