//! A stand-in server for the harness's own tests (not a book listing):
//! binds its first argument, prints `listening on <addr>`, and echoes one
//! line per connection, reporting each on standard output.

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpListener;

fn main() -> io::Result<()> {
    let addr = std::env::args().nth(1).unwrap_or("127.0.0.1:0".into());
    let listener = TcpListener::bind(addr)?;
    println!("listening on {}", listener.local_addr()?);
    for stream in listener.incoming() {
        let mut stream = stream?;
        let mut line = String::new();
        BufReader::new(&stream).read_line(&mut line)?;
        stream.write_all(line.as_bytes())?;
        println!("echoed {} bytes", line.len());
    }
    Ok(())
}
