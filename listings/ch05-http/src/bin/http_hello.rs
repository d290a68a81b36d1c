//! `http_hello [ADDR] [TIMEOUT]`: the smallest HTTP server. It answers
//! every request with the same response and closes the connection.
//! TIMEOUT (seconds, 2 by default) bounds each wait for the client.

use std::env;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

// ANCHOR: response
const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Length: 13\r\n\
Connection: close\r\n\
\r\n\
Hello, HTTP!\n";
// ANCHOR_END: response

// ANCHOR: main
fn main() -> io::Result<()> {
    let addr = env::args().nth(1).unwrap_or("127.0.0.1:8080".into());
    // How long each read waits for the client: 2 s, or the second argument.
    let timeout = match env::args().nth(2) {
        None => Duration::from_secs(2),
        Some(secs) => secs
            .parse()
            .ok()
            .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
            .filter(|timeout| !timeout.is_zero())
            .ok_or_else(|| io::Error::other(format!("bad timeout: {secs}")))?,
    };
    let listener = TcpListener::bind(&addr)?;
    println!("listening on {}", listener.local_addr()?);
    for stream in listener.incoming() {
        let result = stream.and_then(|stream| answer(stream, timeout));
        if let Err(err) = result {
            eprintln!("http_hello: {err}");
        }
    }
    Ok(())
}

fn answer(mut stream: TcpStream, timeout: Duration) -> io::Result<()> {
    // A client that connects and sends nothing must not block the server.
    stream.set_read_timeout(Some(timeout))?;
    // Read the request head: lines up to the first empty one, at most
    // 8 KiB in all. The content does not matter to this server.
    let mut head = BufReader::new(&stream).take(8 * 1024);
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = head.read_until(b'\n', &mut line)?;
        if n == 0 || line == b"\r\n" || line == b"\n" {
            break; // end of stream, limit reached, or end of the head
        }
    }
    stream.write_all(RESPONSE)?;
    Ok(())
}
// ANCHOR_END: main
