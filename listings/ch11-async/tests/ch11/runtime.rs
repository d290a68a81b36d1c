//! The hand-made runtime's bookkeeping, checked from outside.

use std::future::{Future, pending, poll_fn};
use std::sync::mpsc;
use std::task::Poll;
use std::thread;
use std::time::Duration;

use ch11_async::executor::block_on;
use ch11_async::reactor::sleep;

#[test]
fn a_dropped_sleep_takes_its_timer_with_it() {
    // Poll an hour-long sleep once, so that it registers its timer, then
    // drop it. With nothing left to wait for, the executor must say so at
    // once (its assertion panics), not sleep for the dropped timer's hour.
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        let outcome = std::panic::catch_unwind(|| {
            block_on(async {
                let mut hour = Box::pin(sleep(Duration::from_secs(3600)));
                poll_fn(|cx| {
                    assert!(hour.as_mut().poll(cx).is_pending());
                    Poll::Ready(())
                })
                .await;
                drop(hour);
                pending::<()>().await;
            })
        });
        let _ = done.send(outcome.is_err());
    });
    let panicked = finished
        .recv_timeout(Duration::from_secs(10))
        .expect("the executor waited for a timer that was dropped");
    assert!(panicked, "the executor found nothing to wait for");
}
