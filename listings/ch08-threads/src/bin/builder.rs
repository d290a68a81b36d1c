//! `builder`: name a thread and choose its stack size with
//! `thread::Builder`; the kernel sees the name in /proc.
//! `builder --overflow` runs a thread out of stack.

use std::fs;
use std::hint::black_box;
use std::io;
use std::sync::mpsc;
use std::thread;

use nix::unistd::gettid;

// ANCHOR: name
fn main() -> io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("--overflow") {
        return overflow();
    }
    let (tid_tx, tid_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let worker = thread::Builder::new()
        .name("resize-images-worker".to_owned())
        .spawn(move || {
            let me = thread::current();
            println!("inside:  thread::current().name() = {:?}", me.name());
            tid_tx.send(gettid()).unwrap();
            done_rx.recv().unwrap(); // stay alive while main reads /proc
        })?; // Builder::spawn returns io::Result; thread::spawn would panic
    let tid = tid_rx.recv().expect("the worker sends its TID");
    let name = worker.thread().name();
    println!("outside: handle.thread().name() = {name:?}");
    let comm = fs::read_to_string(format!("/proc/self/task/{tid}/comm"))?;
    let comm = comm.trim_end(); // the kernel ends it with a newline
    println!("kernel:  /proc/self/task/<tid>/comm = {comm:?}");
    done_tx.send(()).unwrap();
    worker.join().expect("the worker panicked");

    let unnamed = thread::spawn(|| {
        let comm =
            fs::read_to_string("/proc/thread-self/comm").unwrap_or_default();
        (thread::current().name().map(str::to_owned), comm)
    });
    let (name, comm) = unnamed.join().expect("the unnamed thread panicked");
    println!("unnamed: name() = {name:?}, comm = {:?}", comm.trim_end());
    // ANCHOR_END: name

    // ANCHOR: stack
    let deep = thread::Builder::new()
        .name("deep".to_owned())
        .stack_size(8 * 1024 * 1024) // 8 MiB instead of the default 2 MiB
        .spawn(|| recurse(1000))?; // 1000 frames of at least 1 KiB each
    println!("8 MiB stack: recursed {} frames", deep.join().unwrap());

    let huge = thread::Builder::new().stack_size(1 << 50); // 1 PiB
    match huge.spawn(|| ()) {
        Ok(handle) => println!("1 PiB stack: spawned, {:?}", handle.join()),
        Err(err) => println!("1 PiB stack: spawn failed: {err}"),
    }
    Ok(())
}

/// Recurses `depth` times with a 1 KiB array in every frame, and returns
/// how deep it went.
fn recurse(depth: u32) -> u32 {
    let frame = black_box([1u8; 1024]); // keep the array on the stack
    if depth == 0 {
        return 0;
    }
    1 + recurse(depth - 1) + u32::from(frame[0]) - 1
}

/// The same recursion on a 64 KiB stack: the process dies.
fn overflow() -> io::Result<()> {
    let small = thread::Builder::new()
        .name("small".to_owned())
        .stack_size(64 * 1024)
        .spawn(|| recurse(1000))?;
    println!("never printed: {:?}", small.join());
    Ok(())
}
// ANCHOR_END: stack
