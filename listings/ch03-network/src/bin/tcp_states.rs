// ANCHOR: all
//! `tcp_states`: follow one TCP connection through its states in the
//! kernel's socket table, /proc/net/tcp, from LISTEN to TIME_WAIT; then
//! see what TIME_WAIT does to binding the port again.

use std::env;
use std::error::Error;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use ch03_network::proc_net::TcpState::{
    CloseWait, Established, FinWait2, Listen, TimeWait,
};
use ch03_network::proc_net::{TcpSocket, find, wait_for, wait_for_state};
use nix::unistd::{SysconfVar, sysconf};
use socket2::{Domain, SockAddr, SockRef, Socket, Type};

/// How long each step may take. On loopback a step takes microseconds.
const STEP: Duration = Duration::from_secs(5);

fn show(end: &str, socket: &TcpSocket) {
    let (local, remote) = (socket.local.port(), socket.remote.port());
    let state = socket.state.name();
    println!(
        "   {end:<6}  {}  :{local} -> :{remote}  {state}",
        socket.raw
    );
}

fn run() -> Result<(), Box<dyn Error>> {
    let addr = env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7804".to_owned());
    // ANCHOR: listen
    let listener =
        TcpListener::bind(&addr).map_err(|err| format!("{addr}: {err}"))?;
    let SocketAddr::V4(server) = listener.local_addr()? else {
        return Err(
            "this listing reads /proc/net/tcp, which lists IPv4 sockets only"
                .into(),
        );
    };
    println!("listening on {server}");

    println!("1. a listener waits for connections");
    let nobody = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0);
    show("server", &wait_for_state(STEP, server, nobody, Listen)?);
    // ANCHOR_END: listen

    // ANCHOR: connect
    println!("2. connect returns after the three-way handshake");
    let client_stream = TcpStream::connect(server)?;
    let (server_stream, _) = listener.accept()?;
    let SocketAddr::V4(client) = client_stream.local_addr()? else {
        unreachable!("an IPv4 listener has IPv4 peers");
    };
    show(
        "server",
        &wait_for_state(STEP, server, client, Established)?,
    );
    show(
        "client",
        &wait_for_state(STEP, client, server, Established)?,
    );
    // ANCHOR_END: connect

    // ANCHOR: close
    println!("3. the server closes first: FIN ->, <- ACK");
    drop(server_stream);
    show("server", &wait_for_state(STEP, server, client, FinWait2)?);
    show("client", &wait_for_state(STEP, client, server, CloseWait)?);

    println!("4. the client closes too: <- FIN, ACK ->");
    drop(client_stream);
    let server_end = wait_for_state(STEP, server, client, TimeWait)?;
    show("server", &server_end);
    // The client's last state, LAST_ACK, ends when the server's ACK arrives.
    wait_for(STEP, "client gone", |table| {
        find(table, client, server).is_none().then_some(())
    })?;
    println!("   client  gone from the table: CLOSED");
    let ticks_per_second = sysconf(SysconfVar::CLK_TCK)?.unwrap_or(100) as u64;
    let seconds =
        (server_end.timer_ticks + ticks_per_second / 2) / ticks_per_second;
    println!("   the kernel drops the TIME_WAIT entry in {seconds} s");
    // ANCHOR_END: close

    // ANCHOR: rebind
    println!("5. bind {server} again while TIME_WAIT holds it");
    drop(listener);
    let plain = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    match plain.bind(&SockAddr::from(server)) {
        Ok(()) => println!("   without SO_REUSEADDR: bound"),
        Err(err) => println!("   without SO_REUSEADDR: {err}"),
    }
    let again = TcpListener::bind(server)?;
    let reuse = SockRef::from(&again).reuse_address()?;
    println!("   TcpListener::bind: bound, SO_REUSEADDR = {reuse}");
    // ANCHOR_END: rebind
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tcp_states: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: all
