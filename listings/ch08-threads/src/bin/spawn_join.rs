//! `spawn_join`: start threads, wait for them, and take what they return,
//! including a panic.

use std::any::Any;
use std::thread;

// ANCHOR: spawn
fn main() {
    let words: Vec<String> =
        "one two three".split(' ').map(String::from).collect();
    // The closure takes `words` with it (`move`): the thread owns it now.
    let counter = thread::spawn(move || {
        let letters: usize = words.iter().map(|word| word.len()).sum();
        letters // the thread's return value
    });
    // `join` waits for the thread to end and hands back what it returned.
    let letters: usize = counter.join().expect("the counter panicked");
    println!("the counter thread returned {letters}");
    // ANCHOR_END: spawn

    // ANCHOR: panic
    let divisor = std::env::args().count() - 1; // 0 when run without arguments
    let divider = thread::spawn(move || 100 / divisor);
    match divider.join() {
        Ok(quotient) => println!("the divider returned {quotient}"),
        Err(payload) => {
            println!("the divider panicked: {}", message(&*payload))
        }
    }
    println!("main goes on");
}

/// A panic's payload is a `&'static str` or a `String` for `panic!` with a
/// message, or any other type given to `std::panic::panic_any`.
fn message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "(not a string)"
    }
}
// ANCHOR_END: panic
