//! Exercise 3.1: every listening TCP socket, from the kernel's own tables.
//!
//! `listening` reads `/proc/net/tcp` and `/proc/net/tcp6` and prints the
//! local address of every socket in state `0A` (LISTEN), one per line, as
//! Rust prints a `SocketAddr`: `127.0.0.1:8080`, `[::1]:8080`. The lines
//! are sorted as `Vec<SocketAddr>::sort` sorts them: every IPv4 address
//! before every IPv6 one, then by address, then by port. Each socket gets
//! its own line, so two sockets listening on one port with `SO_REUSEPORT`
//! give two equal lines, as `ss -Hltn` does.
//!
//! The byte-order trap: the kernel prints an IPv4 address as one 32-bit
//! number in the CPU's byte order, and an IPv6 address as four such
//! numbers. A missing `/proc/net/tcp6` (a kernel without IPv6) means no
//! IPv6 sockets; any other error is a message on standard error and exit
//! status 1.
//!
//! Check your solution with `cargo xtask exercise 3.1`.

fn main() {
    let tables = ["/proc/net/tcp", "/proc/net/tcp6"];
    todo!("exercise 3.1: print the listening sockets of {tables:?}")
}
