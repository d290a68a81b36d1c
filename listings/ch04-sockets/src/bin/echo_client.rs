// ANCHOR: all
//! `echo_client <addr> <message>`: sends one line to an echo server and
//! prints the line that comes back.

use std::env;
use std::error::Error;
use std::io::{self, BufReader, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::Duration;

use ch04_sockets::{MAX_LINE, read_line, write_line};

fn run(addr: &str, message: &str) -> Result<(), Box<dyn Error>> {
    // socket(2) + connect(2): the three-way handshake happens here.
    let stream = TcpStream::connect(addr).map_err(|err| format!("{addr}: {err}"))?;
    // A server that never answers must not hang the client forever.
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write_line(&mut &stream, message.as_bytes())?;
    let reply = read_line(&mut BufReader::new(&stream), MAX_LINE)?
        .ok_or("the server closed the connection without replying")?;
    let mut stdout = io::stdout().lock();
    stdout.write_all(&reply)?;
    stdout.write_all(b"\n")?;
    Ok(())
    // `stream` is dropped here: close(2).
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let [addr, message] = args.as_slice() else {
        eprintln!("usage: echo_client <addr> <message>");
        return ExitCode::from(2);
    };
    match run(addr, message) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("echo_client: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: all
