// ANCHOR: all
//! `bind_scope`: bind a TCP listener, show the kernel's record of it, and
//! try to reach it through several local addresses.

use std::env;
use std::error::Error;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use ch03_network::proc_net::wait_for;

fn run() -> Result<(), Box<dyn Error>> {
    let mut args = env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:7803".to_owned());
    // 127.0.0.2 is a local address too: Linux routes all of 127.0.0.0/8
    // to the loopback interface. Extra arguments are more addresses to try.
    let mut vias = vec!["127.0.0.1".to_owned(), "127.0.0.2".to_owned()];
    vias.extend(args);

    // ANCHOR: bind
    let listener =
        TcpListener::bind(&addr).map_err(|err| format!("{addr}: {err}"))?;
    let SocketAddr::V4(local) = listener.local_addr()? else {
        return Err(
            "this listing reads /proc/net/tcp, which lists IPv4 sockets only"
                .into(),
        );
    };
    println!("listening on {local}");
    // The kernel's record of the socket: what `ss -tln` shows too. The
    // table is written a page per read, so while other sockets come and go
    // one pass can miss a line: look again, for up to a second.
    let row = wait_for(Duration::from_secs(1), "the listener", |table| {
        table.iter().find(|socket| socket.local == local).cloned()
    })?;
    println!(
        "/proc/net/tcp: {}  = {} {}",
        row.raw,
        row.local,
        row.state.name()
    );
    // ANCHOR_END: bind

    // ANCHOR: connect
    for via in vias {
        let target = SocketAddr::new(via.parse()?, local.port());
        match TcpStream::connect_timeout(&target, Duration::from_secs(2)) {
            Ok(stream) => {
                let mine = stream.local_addr()?;
                // The handshake is complete, so the connection is waiting
                // in the listener's queue: accept returns at once.
                let conn = loop {
                    let (conn, peer) = listener.accept()?;
                    if peer == mine {
                        break conn;
                    }
                };
                println!(
                    "connect to {target}: accepted at {}",
                    conn.local_addr()?
                );
            }
            Err(err) => println!("connect to {target}: {err}"),
        }
    }
    // ANCHOR_END: connect
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bind_scope: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: all
