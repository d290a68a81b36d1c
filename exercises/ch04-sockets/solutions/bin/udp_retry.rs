//! Exercise 4.1, a reference solution: a UDP client that retries, with
//! exponential back-off and an overall deadline.

use std::env;
use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const FIRST_WAIT: Duration = Duration::from_millis(100);
const TRIES: u32 = 4;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let [addr, message] = args.as_slice() else {
        eprintln!("usage: udp_retry ADDR MESSAGE");
        return ExitCode::from(2);
    };
    let addr: SocketAddr = match addr.parse() {
        Ok(addr) => addr,
        Err(err) => {
            eprintln!("udp_retry: {addr}: {err}");
            return ExitCode::from(2);
        }
    };
    match ask(addr, message.as_bytes()) {
        Ok(Some(reply)) => {
            println!("{}", String::from_utf8_lossy(&reply));
            ExitCode::SUCCESS
        }
        Ok(None) => {
            eprintln!("udp_retry: no reply from {addr} after {TRIES} tries");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("udp_retry: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Sends `message` until a reply comes, or `TRIES` waits have passed.
fn ask(addr: SocketAddr, message: &[u8]) -> io::Result<Option<Vec<u8>>> {
    let local: SocketAddr = if addr.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    }
    .parse()
    .expect("a valid address");
    let socket = UdpSocket::bind(local)?;
    // `connect` makes the kernel drop datagrams from any other address, so
    // a stranger cannot answer for the server.
    socket.connect(addr)?;
    let mut buf = vec![0; 65_536];
    let mut wait = FIRST_WAIT;
    for _ in 0..TRIES {
        socket.send(message)?;
        // One deadline per try: a datagram that is not the reply (none can
        // arrive here, but an error can) must not restart the wait.
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            socket.set_read_timeout(Some(left))?;
            match socket.recv(&mut buf) {
                Ok(n) => return Ok(Some(buf[..n].to_vec())),
                // A timeout is `WouldBlock` on Linux (EAGAIN).
                Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    break;
                }
                // An ICMP "port unreachable" for an earlier send: nobody is
                // listening yet. Count it as a lost try, but wait out the
                // rest of this try so the back-off still holds.
                Err(err) if err.kind() == ErrorKind::ConnectionRefused => continue,
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            }
        }
        wait *= 2;
    }
    Ok(None)
}
