//! The chat client: a pipe between the terminal and the room.
//! Usage: chat_client ADDR NAME

use std::env;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::{self, ExitCode};
use std::thread;

// ANCHOR: client
fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let [addr, name] = args.as_slice() else {
        eprintln!("usage: chat_client ADDR NAME");
        return ExitCode::from(2);
    };
    match chat(addr, name) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("chat_client: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn chat(addr: &str, name: &str) -> io::Result<()> {
    let mut stream = TcpStream::connect(addr)?;
    stream.write_all(format!("{name}\n").as_bytes())?;
    // One thread copies what the room sends to standard output. When the
    // server closes the connection, the whole program is done, even if
    // the main thread is still waiting for a line of input.
    let mut from_room = stream.try_clone()?;
    let printer = thread::spawn(move || {
        let status = match pump(&mut from_room, &mut io::stdout().lock()) {
            Ok(_) => 0,
            Err(err) => {
                eprintln!("chat_client: connection: {err}");
                1
            }
        };
        process::exit(status);
    });
    // The main thread copies standard input to the room. At its end, say
    // so with a half-close; the server answers by closing, which ends the
    // printer thread and the program.
    pump(&mut io::stdin().lock(), &mut stream)?;
    stream.shutdown(Shutdown::Write)?;
    printer
        .join()
        .expect("the printer thread exits the process");
    Ok(())
}

/// Copies `from` to `to` until end of file, passing on each piece as it
/// comes.
fn pump(from: &mut impl Read, to: &mut impl Write) -> io::Result<()> {
    let mut buf = [0; 8192];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        to.write_all(&buf[..n])?;
        to.flush()?;
    }
}
// ANCHOR_END: client
