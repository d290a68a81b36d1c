//! `http_inspect`: parse each request with the chapter's parser and answer
//! with what was parsed, or with the status a bad request deserves.

use std::env;
use std::fmt::Write as _;
use std::io::{self, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use ch05_http::{
    Limits, ParseError, Request, Status, close_gracefully, read_request, response_head,
};

fn main() -> io::Result<()> {
    let addr = env::args().nth(1).unwrap_or("127.0.0.1:8080".into());
    let listener = TcpListener::bind(&addr)?;
    println!("listening on {}", listener.local_addr()?);
    for stream in listener.incoming() {
        if let Err(err) = stream.and_then(answer) {
            eprintln!("http_inspect: {err}");
        }
    }
    Ok(())
}

// ANCHOR: answer
fn answer(stream: TcpStream) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(&stream);
    let (status, body) = match read_request(&mut reader, &Limits::DEFAULT) {
        Ok(request) => (Status::OK, describe(&request)),
        Err(ParseError::Closed) => return Ok(()),
        Err(ParseError::Io { error, .. }) => return Err(error),
        Err(err) => {
            // Every other error has a status; `Closed` and `Io` had none.
            let status = err.status().unwrap_or(Status::BAD_REQUEST);
            (status, format!("{status}: {err}\n"))
        }
    };
    let length = body.len().to_string();
    let head = response_head(
        status,
        &[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", &length),
            ("Connection", "close"),
        ],
    );
    (&stream).write_all(&head)?;
    (&stream).write_all(body.as_bytes())?;
    // The body of the request, if any, is still unread: don't let the
    // close turn into a reset that destroys the response.
    close_gracefully(&stream, &mut reader, 1024 * 1024);
    Ok(())
}
// ANCHOR_END: answer

// ANCHOR: describe
fn describe(request: &Request) -> String {
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(text, "method:  {}", request.method);
    let _ = writeln!(text, "target:  {}", request.target);
    let _ = writeln!(text, "version: {}", request.version);
    let _ = writeln!(text, "body:    {} bytes", request.content_length);
    let _ = writeln!(text, "headers: {}", request.headers.len());
    for header in &request.headers {
        let _ = writeln!(text, "  {}: {}", header.name, header.value);
    }
    text
}
// ANCHOR_END: describe
