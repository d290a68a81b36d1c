//! Exercise 8.1: A bounded blocking queue
//! Edit: exercises/ch08-threads/src/queue.rs
//! Hint: Keep the items in a `Mutex<VecDeque<T>>`. `push` waits on a `not_full` condition variable while the queue is full and `pop` on a `not_empty` one while it is empty; `Condvar::wait_while` writes the loop that spurious wake-ups need. After a push, notify `not_empty`; after a pop, `not_full`. For the timeouts, `wait_timeout_while`, then look at the queue itself.

use std::collections::BTreeSet;
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use harness::DEADLINE;

#[cfg(not(feature = "reference"))]
use ex08_threads::queue::BoundedQueue;
#[cfg(feature = "reference")]
use ex08_threads::queue_reference::BoundedQueue;

use super::within;

/// Long enough that a thread which could go on would have, on a loaded
/// machine; used only to check that something is still blocked.
const BLOCKED: Duration = Duration::from_millis(200);

#[test]
fn items_come_out_in_the_order_they_went_in() {
    let queue = BoundedQueue::new(3);
    assert!(queue.is_empty());
    for word in ["one", "two", "three"] {
        queue.push(word);
    }
    assert_eq!(queue.len(), 3);
    assert_eq!(
        [queue.pop(), queue.pop(), queue.pop()],
        ["one", "two", "three"]
    );
    assert_eq!(queue.len(), 0);
}

#[test]
fn many_producers_and_consumers_lose_nothing_and_duplicate_nothing() {
    const PRODUCERS: u32 = 4;
    const CONSUMERS: u32 = 4;
    const EACH: u32 = 5_000;
    let received = within(DEADLINE, "4 producers and 4 consumers", || {
        let queue = Arc::new(BoundedQueue::new(8));
        let mut producers = Vec::new();
        for p in 0..PRODUCERS {
            let queue = Arc::clone(&queue);
            producers.push(thread::spawn(move || {
                for i in 0..EACH {
                    queue.push(p * EACH + i);
                }
            }));
        }
        let mut consumers = Vec::new();
        for _ in 0..CONSUMERS {
            let queue = Arc::clone(&queue);
            consumers.push(thread::spawn(move || {
                (0..PRODUCERS * EACH / CONSUMERS)
                    .map(|_| queue.pop())
                    .collect::<Vec<u32>>()
            }));
        }
        for producer in producers {
            producer.join().unwrap();
        }
        let mut received = Vec::new();
        for consumer in consumers {
            received.extend(consumer.join().unwrap());
        }
        assert!(queue.is_empty());
        received
    });
    assert_eq!(
        received.len(),
        (PRODUCERS * EACH) as usize,
        "items lost or duplicated"
    );
    let distinct: BTreeSet<u32> = received.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        received.len(),
        "an item was delivered twice"
    );
    assert_eq!(
        distinct,
        (0..PRODUCERS * EACH).collect(),
        "an item was lost"
    );
}

#[test]
fn push_blocks_while_the_queue_is_full_until_an_item_is_popped() {
    let queue = Arc::new(BoundedQueue::new(1));
    within(DEADLINE, "push into an empty queue", {
        let queue = Arc::clone(&queue);
        move || queue.push(1)
    });
    let (pushed, done) = mpsc::channel();
    let pusher = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || {
            queue.push(2);
            pushed.send(()).unwrap();
        })
    };
    assert!(
        done.recv_timeout(BLOCKED).is_err(),
        "push returned although the queue was full"
    );
    assert_eq!(within(DEADLINE, "pop", move || queue.pop()), 1);
    done.recv_timeout(DEADLINE)
        .expect("push should finish once there is room");
    pusher.join().unwrap();
}

#[test]
fn pop_blocks_while_the_queue_is_empty_until_an_item_is_pushed() {
    let queue = Arc::new(BoundedQueue::new(2));
    let (popped, got) = mpsc::channel();
    let popper = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || popped.send(queue.pop()).unwrap())
    };
    assert!(
        got.recv_timeout(BLOCKED).is_err(),
        "pop returned from an empty queue"
    );
    within(DEADLINE, "push", move || queue.push("late"));
    assert_eq!(got.recv_timeout(DEADLINE), Ok("late"));
    popper.join().unwrap();
}

#[test]
fn the_timeouts_give_up_and_hand_the_item_back() {
    let timeout = Duration::from_millis(100);
    let (push_result, pop_result, waited) =
        within(DEADLINE, "timed push and pop", move || {
            let queue = BoundedQueue::new(1);
            assert_eq!(queue.pop_timeout(timeout), None);
            queue.push("first");
            let start = Instant::now();
            let push_result = queue.push_timeout("second", timeout);
            let waited = start.elapsed();
            let pop_result = queue.pop_timeout(timeout);
            (push_result, pop_result, waited)
        });
    assert_eq!(
        push_result,
        Err("second"),
        "a full queue hands the item back"
    );
    assert!(waited >= timeout, "push_timeout gave up after {waited:?}");
    assert_eq!(pop_result, Some("first"));
}

#[test]
fn a_timed_pop_takes_an_item_pushed_while_it_waits() {
    let queue = Arc::new(BoundedQueue::new(1));
    let (started, waiting) = mpsc::channel();
    let popper = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || {
            started.send(()).unwrap();
            queue.pop_timeout(DEADLINE)
        })
    };
    waiting.recv().unwrap();
    within(DEADLINE, "push", {
        let queue = Arc::clone(&queue);
        move || queue.push(7)
    });
    assert_eq!(
        within(DEADLINE, "pop_timeout", move || popper.join().unwrap()),
        Some(7)
    );
}
