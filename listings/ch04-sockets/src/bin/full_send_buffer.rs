//! `full_send_buffer`: what `write` does when the peer never reads and the
//! kernel buffers fill up: non-blocking, blocking with a timeout, and
//! blocking until the peer reads.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use socket2::SockRef;

static CHUNK: [u8; 65536] = [b'x'; 65536];

fn main() -> io::Result<()> {
    // ANCHOR: setup
    // Small buffers make the point with small numbers. SO_RCVBUF is set on
    // the listener, before the handshake, so the accepted socket inherits it.
    let listener = TcpListener::bind("127.0.0.1:0")?;
    SockRef::from(&listener).set_recv_buffer_size(16384)?;
    let mut writer = TcpStream::connect(listener.local_addr()?)?;
    SockRef::from(&writer).set_send_buffer_size(16384)?;
    let (mut reader, _) = listener.accept()?;
    println!(
        "writer's SO_SNDBUF {} bytes, reader's SO_RCVBUF {} bytes",
        SockRef::from(&writer).send_buffer_size()?,
        SockRef::from(&reader).recv_buffer_size()?
    );
    // ANCHOR_END: setup

    // ANCHOR: nonblocking
    // The reader never reads. A non-blocking write takes what fits and then
    // fails with EAGAIN instead of waiting.
    writer.set_nonblocking(true)?;
    let mut accepted = 0;
    let err = loop {
        match writer.write(&CHUNK) {
            Ok(n) => accepted += n,
            Err(err) => break err,
        }
        if accepted > 64 << 20 {
            return Err(io::Error::other("64 MiB accepted and no full buffer?"));
        }
    };
    println!("non-blocking: the kernel took {accepted} bytes");
    println!("non-blocking: then {err} ({:?})", err.kind());
    // ANCHOR_END: nonblocking

    // ANCHOR: timeout
    // A blocking write waits for room. SO_SNDTIMEO bounds the wait: a write
    // that has written nothing when it expires fails with EAGAIN as well.
    // (ACKs may free a little room first: keep writing until one waits.)
    writer.set_nonblocking(false)?;
    writer.set_write_timeout(Some(Duration::from_millis(200)))?;
    let err = loop {
        match writer.write(&CHUNK) {
            Ok(n) => accepted += n,
            Err(err) => break err,
        }
    };
    println!("blocking, 200 ms timeout: {err} ({:?})", err.kind());
    // ANCHOR_END: timeout

    // ANCHOR: drain
    // Once the reader reads, a blocking write makes progress again.
    let drain = thread::spawn(move || {
        let mut received = Vec::new();
        reader.read_to_end(&mut received).map(|_| received.len())
    });
    writer.set_write_timeout(None)?;
    writer.write_all(&[b'y'; 1 << 20])?;
    writer.shutdown(Shutdown::Write)?;
    println!("once the peer reads: write_all of 1 MiB completes");
    let received = drain.join().expect("the reader thread panicked")?;
    let all = received == accepted + (1 << 20);
    println!("the peer received every byte the writes accepted: {all}");
    // ANCHOR_END: drain
    Ok(())
}
