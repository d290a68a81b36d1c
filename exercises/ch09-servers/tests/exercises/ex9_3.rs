//! Exercise 9.3: Uppercase lines in the pool model
//! Edit: exercises/ch09-servers/src/bin/upper_pool.rs
//! Hint: start from echo_pool (Listing 9-8) and replace `echo` with a loop over `BufReader::new(stream).take(1025).read_until(b'\n', …)`: an empty result is the end of the stream, 1025 bytes are a line too long. `str::to_uppercase` follows Unicode.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};

use echo_suite::{PROMPT, Server};
use harness::exercise_bin;

fn server(args: &[&str]) -> Server {
    Server::start(exercise_bin!("upper_pool"), args)
}

fn ask(reader: &mut BufReader<&TcpStream>, line: &[u8]) -> String {
    reader.get_ref().set_read_timeout(Some(PROMPT)).unwrap();
    let mut stream: &TcpStream = reader.get_ref();
    stream.write_all(line).unwrap();
    let mut answer = String::new();
    reader.read_line(&mut answer).unwrap();
    answer
}

#[test]
fn answers_each_line_in_upper_case() {
    let server = server(&[]);
    let stream = server.connect();
    let mut reader = BufReader::new(&stream);
    assert_eq!(ask(&mut reader, b"hello\n"), "HELLO\n");
    assert_eq!(
        ask(&mut reader, b"stra\xc3\x9fe, \xe4\xbd\xa0\xe5\xa5\xbd\n"),
        "STRASSE, 你好\n"
    );
    assert_eq!(ask(&mut reader, b"\n"), "\n");
    // Two lines in one write, then a last one without a newline.
    (&stream).write_all(b"one\ntwo\nthree").unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let mut rest = String::new();
    reader.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "ONE\nTWO\nTHREE\n");
}

#[test]
fn answers_a_line_that_is_not_utf8_with_an_error_and_goes_on() {
    let server = server(&[]);
    let stream = server.connect();
    let mut reader = BufReader::new(&stream);
    assert_eq!(ask(&mut reader, b"caf\xe9\n"), "error: not UTF-8\n");
    assert_eq!(ask(&mut reader, b"next\n"), "NEXT\n");
}

#[test]
fn refuses_a_line_longer_than_1024_bytes_and_hangs_up() {
    let server = server(&[]);
    let stream = server.connect();
    let mut reader = BufReader::new(&stream);
    let longest = format!("{}\n", "a".repeat(1023));
    assert_eq!(ask(&mut reader, longest.as_bytes()), longest.to_uppercase());
    let answer = ask(&mut reader, &[b'b'; 1025]);
    assert_eq!(answer, "error: line longer than 1024 bytes\n");
    let mut rest = Vec::new();
    match reader.read_to_end(&mut rest) {
        Ok(_) => assert!(rest.is_empty(), "nothing after the error"),
        Err(err) => assert_eq!(err.kind(), ErrorKind::ConnectionReset),
    }
}

#[test]
fn serves_as_many_clients_at_once_as_it_has_workers() {
    let server = server(&["2", "1"]);
    let (a, b, c) = (server.connect(), server.connect(), server.connect());
    let mut ra = BufReader::new(&a);
    let mut rb = BufReader::new(&b);
    assert_eq!(ask(&mut ra, b"a\n"), "A\n");
    assert_eq!(ask(&mut rb, b"b\n"), "B\n");
    // Both workers are busy: the third waits.
    (&c).write_all(b"c\n").unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_millis(300)))
        .unwrap();
    let err = (&c).read(&mut [0u8; 4]).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::WouldBlock,
        "the third client was served at once"
    );
    drop(ra);
    drop(a);
    c.set_read_timeout(Some(PROMPT)).unwrap();
    let mut answer = String::new();
    BufReader::new(&c).read_line(&mut answer).unwrap();
    assert_eq!(answer, "C\n");
}
