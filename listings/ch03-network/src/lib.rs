//! Code shared by the listings of chapter 3, "Network fundamentals".
//!
//! - [`packet`]: the Internet checksum, and IPv4 and UDP headers built and
//!   parsed by hand from a byte buffer.
//! - [`icmp`]: ICMP echo messages, and what to say when the kernel refuses an
//!   ICMP socket.
//! - [`proc_net`]: the kernel's table of TCP sockets, `/proc/net/tcp`.

pub mod icmp;
pub mod packet;
pub mod proc_net;
