//! `cancel`: `timeout`, `select!`, cancelling a future by dropping it,
//! and a read that is not cancel safe next to one that is.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt, duplex};
use tokio::time::{sleep, timeout};

// ANCHOR: steps
/// Prints when it is dropped: shows where a cancelled future stopped.
struct Step(u32);

impl Drop for Step {
    fn drop(&mut self) {
        println!("  dropped while at step {}", self.0);
    }
}

async fn three_steps() -> &'static str {
    for step in 1..=3 {
        let at = Step(step);
        sleep(Duration::from_millis(100)).await;
        std::mem::forget(at); // this step finished: no message
    }
    "all three steps"
}
// ANCHOR_END: steps

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    // ANCHOR: timeout
    // timeout: the inner future is dropped when time runs out
    // (like asyncio.wait_for).
    println!("timeout(150 ms, three 100 ms steps):");
    match timeout(Duration::from_millis(150), three_steps()).await {
        Ok(what) => println!("  finished {what}"),
        Err(elapsed) => println!("  Err: {elapsed}"),
    }
    // ANCHOR_END: timeout

    // ANCHOR: select
    // select!: the first branch to finish wins; the others are dropped.
    println!("select! between three_steps and a 250 ms sleep:");
    tokio::select! {
        // Poll the branches in the order written, not a random one, so
        // that a late wake-up finds the same winner on every run.
        biased;
        what = three_steps() => println!("  three_steps won: {what}"),
        () = sleep(Duration::from_millis(250)) => println!("  the sleep won"),
    }
    // ANCHOR_END: select

    // ANCHOR: cancel_safety
    // read_exact is not cancel safe: bytes it read before it was dropped
    // are lost with it.
    let (mut client, mut server) = duplex(64);
    client.write_all(b"hel").await?;
    let mut buf = [0u8; 5];
    tokio::select! {
        _ = server.read_exact(&mut buf) => unreachable!("3 bytes were sent"),
        () = sleep(Duration::from_millis(20)) => {
            println!("read_exact cancelled after 3 bytes");
        }
    }
    client.write_all(b"lo, world").await?;
    server.read_exact(&mut buf).await?;
    println!(
        "  the next read_exact got {:?}",
        String::from_utf8_lossy(&buf)
    );

    // read is cancel safe: it returns what it read or, cancelled, read
    // nothing. Keep what arrives in a buffer that outlives the select!.
    let (mut client, mut server) = duplex(64);
    client.write_all(b"hel").await?;
    let mut message = Vec::new();
    let mut chunk = [0u8; 5];
    while message.len() < 5 {
        tokio::select! {
            n = server.read(&mut chunk[..5 - message.len()]) => {
                message.extend_from_slice(&chunk[..n?]);
            }
            () = sleep(Duration::from_millis(20)) => {
                println!("read cancelled with {} bytes kept", message.len());
                client.write_all(b"lo, world").await?;
            }
        }
    }
    println!("  the message: {:?}", String::from_utf8_lossy(&message));
    // ANCHOR_END: cancel_safety
    Ok(())
}
