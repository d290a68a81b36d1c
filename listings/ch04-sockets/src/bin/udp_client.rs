//! `udp_client <addr> <message>`: sends one datagram to a UDP echo server
//! and prints the datagram that comes back.

use std::env;
use std::error::Error;
use std::io::{self, ErrorKind, Write};
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant};

// ANCHOR: client
/// How long to wait for the reply, in all.
const WAIT: Duration = Duration::from_secs(2);

fn run(server: &str, message: &str) -> Result<(), Box<dyn Error>> {
    let server: SocketAddr = server.parse()?;
    // Port 0: the kernel picks a free port for the replies to come back to.
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    socket.send_to(message.as_bytes(), server)?;
    // Nothing retransmits a lost datagram: never wait forever for a reply.
    // One deadline for the whole wait, so that stray datagrams from other
    // senders cannot stretch it.
    let deadline = Instant::now() + WAIT;
    let no_reply = || format!("{server}: no reply within {} s", WAIT.as_secs());
    let mut buf = vec![0u8; 65535];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(no_reply().into());
        }
        socket.set_read_timeout(Some(left))?; // what is left, not 2 s again
        let (len, from) = match socket.recv_from(&mut buf) {
            Ok(received) => received,
            Err(err) if err.kind() == ErrorKind::WouldBlock => {
                return Err(no_reply().into());
            }
            Err(err) => return Err(format!("{server}: {err}").into()),
        };
        // Anyone can send to our port: accept only the server's reply.
        if from == server {
            let mut stdout = io::stdout().lock();
            stdout.write_all(&buf[..len])?;
            stdout.write_all(b"\n")?;
            return Ok(());
        }
    }
}
// ANCHOR_END: client

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let [server, message] = args.as_slice() else {
        eprintln!("usage: udp_client <addr> <message>");
        return ExitCode::from(2);
    };
    match run(server, message) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("udp_client: {err}");
            ExitCode::FAILURE
        }
    }
}
