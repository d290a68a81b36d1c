//! `nonblocking_spin`: waits 200 ms for a byte on a socket twice: with a
//! blocking `read`, then with a non-blocking one retried in a loop, and
//! prints what each wait cost in CPU time (`getrusage`).

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::resource::{UsageWho, getrusage};

/// CPU time this thread has used so far, user and system.
fn cpu_time() -> io::Result<Duration> {
    let usage = getrusage(UsageWho::RUSAGE_THREAD)?;
    let (user, system) = (usage.user_time(), usage.system_time());
    let micros =
        (user.tv_sec() + system.tv_sec()) * 1_000_000 + (user.tv_usec() + system.tv_usec());
    Ok(Duration::from_micros(micros as u64))
}

/// A connected pair whose writer sends one byte after `delay`.
fn byte_after(delay: Duration) -> io::Result<TcpStream> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut writer = TcpStream::connect(listener.local_addr()?)?;
    let (reader, _) = listener.accept()?;
    thread::spawn(move || {
        thread::sleep(delay);
        writer.write_all(b"!")
    });
    Ok(reader)
}

fn main() -> io::Result<()> {
    let delay = Duration::from_millis(200);

    // ANCHOR: blocking
    let mut stream = byte_after(delay)?;
    let (cpu, start) = (cpu_time()?, Instant::now());
    let mut byte = [0u8];
    stream.read_exact(&mut byte)?; // the thread sleeps in the kernel
    println!(
        "blocking read:     waited {:>3} ms, used {:>3} ms of CPU",
        start.elapsed().as_millis(),
        (cpu_time()? - cpu).as_millis()
    );
    // ANCHOR_END: blocking

    // ANCHOR: spin
    let mut stream = byte_after(delay)?;
    stream.set_nonblocking(true)?;
    let (cpu, start) = (cpu_time()?, Instant::now());
    let mut tries = 0u64;
    loop {
        tries += 1;
        match stream.read(&mut byte) {
            Ok(_) => break,
            // EAGAIN: nothing to read yet. Ask again, at once.
            Err(err) if err.kind() == ErrorKind::WouldBlock => continue,
            Err(err) => return Err(err),
        }
    }
    println!(
        "non-blocking loop: waited {:>3} ms, used {:>3} ms of CPU, {tries} reads",
        start.elapsed().as_millis(),
        (cpu_time()? - cpu).as_millis()
    );
    // ANCHOR_END: spin
    Ok(())
}
