//! `buffer_sizes`: the kernel's send and receive buffers of a TCP socket,
//! read and set through socket2 and read again through nix.

use std::fs;
use std::io;

use nix::sys::socket::{getsockopt, sockopt};
use socket2::{Domain, Socket, Type};

/// The middle ("default") value of a `min default max` sysctl.
fn sysctl_default(name: &str) -> io::Result<String> {
    let path = format!("/proc/sys/{}", name.replace('.', "/"));
    let text = fs::read_to_string(&path)?;
    let default = text.split_whitespace().nth(1);
    default
        .map(str::to_owned)
        .ok_or_else(|| io::Error::other(format!("{path}: expected three numbers")))
}

fn main() -> io::Result<()> {
    // ANCHOR: defaults
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    println!(
        "new TCP socket: SO_SNDBUF {} bytes (net.ipv4.tcp_wmem default {})",
        socket.send_buffer_size()?,
        sysctl_default("net.ipv4.tcp_wmem")?
    );
    println!(
        "new TCP socket: SO_RCVBUF {} bytes (net.ipv4.tcp_rmem default {})",
        socket.recv_buffer_size()?,
        sysctl_default("net.ipv4.tcp_rmem")?
    );
    // ANCHOR_END: defaults
    // ANCHOR: doubled
    for requested in [8192, 65536] {
        socket.set_send_buffer_size(requested)?; // setsockopt(SO_SNDBUF)
        socket.set_recv_buffer_size(requested)?; // setsockopt(SO_RCVBUF)
        // Read back with nix: the same getsockopt(2) underneath.
        let sndbuf = getsockopt(&socket, sockopt::SndBuf)?;
        let rcvbuf = getsockopt(&socket, sockopt::RcvBuf)?;
        println!("asked for {requested}: SO_SNDBUF {sndbuf}, SO_RCVBUF {rcvbuf}");
    }
    // ANCHOR_END: doubled
    Ok(())
}
