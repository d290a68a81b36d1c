//! `udp_client [--wait SECONDS] <addr> <message>`: sends one datagram to a
//! UDP echo server and prints the datagram that comes back, or gives up
//! after SECONDS (2 by default).

use std::env;
use std::error::Error;
use std::io::{self, ErrorKind, Write};
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant};

// ANCHOR: client
/// How long to wait for the reply, in all, unless `--wait` says otherwise.
const WAIT: Duration = Duration::from_secs(2);

fn run(server: &str, message: &str, wait: Duration) -> Result<(), Box<dyn Error>> {
    let server: SocketAddr = server.parse()?;
    // Port 0: the kernel picks a free port for the replies to come back to.
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    socket.send_to(message.as_bytes(), server)?;
    // Nothing retransmits a lost datagram: never wait forever for a reply.
    // One deadline for the whole wait, so that stray datagrams from other
    // senders cannot stretch it.
    let deadline = Instant::now() + wait;
    let no_reply = || format!("{server}: no reply within {} s", wait.as_secs_f64());
    let mut buf = vec![0u8; 65535];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(no_reply().into());
        }
        socket.set_read_timeout(Some(left))?; // what is left, not 2 s again
        let (len, from) = match socket.recv_from(&mut buf) {
            Ok(received) => received,
            // Timed out: the top of the loop decides, by the clock.
            Err(err) if err.kind() == ErrorKind::WouldBlock => continue,
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
    let mut args: Vec<String> = env::args().skip(1).collect();
    let mut wait = WAIT;
    if args.first().is_some_and(|arg| arg == "--wait") && args.len() > 1 {
        let secs = args[1].as_str();
        let Some(given) = secs
            .parse()
            .ok()
            .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
            .filter(|wait| !wait.is_zero())
        else {
            eprintln!("udp_client: {secs}: not a positive number of seconds");
            return ExitCode::from(2);
        };
        wait = given;
        args.drain(..2);
    }
    let [server, message] = args.as_slice() else {
        eprintln!("usage: udp_client [--wait SECONDS] <addr> <message>");
        return ExitCode::from(2);
    };
    match run(server, message, wait) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("udp_client: {err}");
            ExitCode::FAILURE
        }
    }
}
