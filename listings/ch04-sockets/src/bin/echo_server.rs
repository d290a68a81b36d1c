//! `echo_server [addr]`: a TCP echo server built on `std::net`. It serves
//! one client at a time and sends every line back unchanged.

use std::env;
use std::io::{self, BufReader, ErrorKind};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::ExitCode;

use ch04_sockets::{MAX_LINE, read_line, write_line};

fn main() -> ExitCode {
    let addr = env::args().nth(1);
    let addr = addr.as_deref().unwrap_or("127.0.0.1:7878");
    match run(addr) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("echo_server: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: run
fn run(addr: &str) -> io::Result<()> {
    // socket(2), setsockopt(SO_REUSEADDR), bind(2) and listen(2) in one call.
    let listener = TcpListener::bind(addr)?;
    // Port 0 asks the kernel for a free port: print the one it chose.
    println!("listening on {}", listener.local_addr()?);
    // ANCHOR: accept_loop
    loop {
        // accept(2) blocks until a client has connected.
        let (stream, peer) = match listener.accept() {
            Ok(connection) => connection,
            Err(err) => {
                // EMFILE (out of file descriptors) and the like: a failed
                // accept is no reason to stop serving.
                eprintln!("echo_server: accept: {err}");
                continue;
            }
        };
        println!("{peer} connected");
        match serve(&stream) {
            Ok(()) => println!("{peer} disconnected"),
            Err(err) => println!("{peer} dropped: {err}"),
        }
        // `stream` is dropped here: close(2).
    }
    // ANCHOR_END: accept_loop
}
// ANCHOR_END: run

// ANCHOR: serve
/// Echoes lines until the client closes the connection.
fn serve(stream: &TcpStream) -> io::Result<()> {
    // `&TcpStream` implements both `Read` and `Write`: one handle reads
    // (through a buffer), the other writes.
    let mut reader = BufReader::new(stream);
    let mut writer = stream;
    loop {
        match read_line(&mut reader, MAX_LINE) {
            Ok(Some(line)) => write_line(&mut writer, &line)?,
            // read(2) returned 0: the client closed its side.
            Ok(None) => return Ok(()),
            Err(err) if err.kind() == ErrorKind::InvalidData => {
                // Too long: say why, then hang up. The rest of that line is
                // still unread, so there is no next line to find.
                let reply = format!("error: line longer than {MAX_LINE} bytes");
                write_line(&mut writer, reply.as_bytes())?;
                stream.shutdown(Shutdown::Write)?;
                return Err(err);
            }
            Err(err) => return Err(err),
        }
    }
}
// ANCHOR_END: serve
