//! `take_turns`: two tasks on the hand-made executor. When each yields
//! after every step they take turns; when one never yields, the other
//! waits until it has finished.

use std::cell::RefCell;
use std::rc::Rc;

use ch11_async::executor::{block_on, spawn, yield_now};

// ANCHOR: task
/// Records three steps of task `name`; awaits `yield_now` between steps
/// only if `yields`.
async fn steps(name: char, yields: bool, log: Rc<RefCell<Vec<String>>>) {
    for step in 1..=3 {
        log.borrow_mut().push(format!("{name}{step}"));
        if yields {
            yield_now().await; // the switch: back to the executor's loop
        }
    }
}
// ANCHOR_END: task

// ANCHOR: run
/// Runs tasks `a` and `b` to completion and returns the order of their
/// steps.
fn run(a_yields: bool, b_yields: bool) -> String {
    let log = Rc::new(RefCell::new(Vec::new()));
    block_on(async {
        spawn(steps('a', a_yields, log.clone()));
        spawn(steps('b', b_yields, log.clone()));
        // Wait for both, yielding so that they get to run.
        while log.borrow().len() < 6 {
            yield_now().await;
        }
    });
    log.take().join(" ")
}

fn main() {
    println!("both yield:       {}", run(true, true));
    println!("a never yields:   {}", run(false, true));
}
// ANCHOR_END: run
