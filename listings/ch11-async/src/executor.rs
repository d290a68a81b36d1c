//! A single-threaded executor: a run queue of task numbers, a `Waker` per
//! task that puts its number back on the queue, and a loop that polls
//! whatever is queued and otherwise sleeps in the reactor.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use crate::reactor;

// ANCHOR: waker
/// The tasks ready to be polled, by number. A `Waker` must be `Send` and
/// `Sync`, so the queue is behind a mutex even though only one thread
/// polls. Only this thread wakes tasks here (its reactor and its tasks):
/// a wake from another thread would be queued but not seen until
/// `epoll_wait` returns. tokio writes to an eventfd in its epoll set.
#[derive(Default)]
struct RunQueue(Mutex<VecDeque<usize>>);

/// What a task's `Waker` holds: its number and the queue to put it on.
struct TaskWaker {
    task: usize,
    queue: Arc<RunQueue>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.queue.0.lock().unwrap().push_back(self.task);
    }
}
// ANCHOR_END: waker

type Task = Pin<Box<dyn Future<Output = ()>>>;

thread_local! {
    /// Tasks spawned since the executor last looked.
    static SPAWNED: RefCell<Vec<Task>> = const { RefCell::new(Vec::new()) };
}

/// Starts `future` as a task of the executor running on this thread. It
/// runs when the task that spawned it next yields.
pub fn spawn(future: impl Future<Output = ()> + 'static) {
    SPAWNED.with(|spawned| spawned.borrow_mut().push(Box::pin(future)));
}

// ANCHOR: block_on
/// Runs `main` and every task it spawns on this thread until `main`
/// finishes; returns its output. Spawned tasks still running then are
/// dropped (cancelled), as when Python's `asyncio.run` returns.
pub fn block_on<F: Future>(main: F) -> F::Output {
    const MAIN: usize = 0;
    let queue = Arc::new(RunQueue::default());
    let waker_for = |task| {
        Waker::from(Arc::new(TaskWaker {
            task,
            queue: queue.clone(),
        }))
    };
    let mut main = pin!(main);
    let main_waker = waker_for(MAIN);
    let mut tasks: HashMap<usize, (Task, Waker)> = HashMap::new();
    let mut next_task = MAIN + 1;
    queue.0.lock().unwrap().push_back(MAIN);
    loop {
        // Poll every task that is ready. A task woken twice is polled twice:
        // a spurious poll is allowed, and it returns Pending again.
        loop {
            let Some(task) = queue.0.lock().unwrap().pop_front() else {
                break;
            };
            if task == MAIN {
                let mut cx = Context::from_waker(&main_waker);
                if let Poll::Ready(output) = main.as_mut().poll(&mut cx) {
                    drop(SPAWNED.take()); // spawned too late to run
                    return output;
                }
            } else if let Some((future, waker)) = tasks.get_mut(&task) {
                let mut cx = Context::from_waker(waker);
                if future.as_mut().poll(&mut cx).is_ready() {
                    tasks.remove(&task); // drops the future: closes its sockets
                }
            }
            // New tasks join the back of the queue.
            for future in SPAWNED.take() {
                tasks.insert(next_task, (future, waker_for(next_task)));
                queue.0.lock().unwrap().push_back(next_task);
                next_task += 1;
            }
        }
        // Nothing is ready: sleep in epoll_wait until a socket or a timer
        // wakes some task.
        reactor::wait().expect("epoll_wait failed");
    }
}
// ANCHOR_END: block_on

// ANCHOR: yield_now
/// Lets the other ready tasks run once before this one goes on: returns
/// `Pending` the first time, after waking itself.
pub async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref(); // back of the run queue
            Poll::Pending
        }
    })
    .await
}
// ANCHOR_END: yield_now
