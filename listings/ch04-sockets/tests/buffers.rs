//! Listings about the kernel's socket buffers.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::process::Command;

use harness::{Normalizer, check_output, run};
use socket2::{Domain, SockRef, Socket, Type};

fn sysctl(name: &str) -> Vec<usize> {
    let path = format!("/proc/sys/{}", name.replace('.', "/"));
    fs::read_to_string(path)
        .unwrap()
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect()
}

#[test]
fn buffer_sizes_start_at_the_sysctl_defaults_and_come_back_doubled() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_buffer_sizes")));
    out.assert_success();
    let text = out.stdout_text();
    let (wmem, rmem) = (
        sysctl("net.ipv4.tcp_wmem")[1],
        sysctl("net.ipv4.tcp_rmem")[1],
    );
    let sndbuf = format!("SO_SNDBUF {wmem} bytes (net.ipv4.tcp_wmem default {wmem})");
    let rcvbuf = format!("SO_RCVBUF {rmem} bytes (net.ipv4.tcp_rmem default {rmem})");
    assert!(text.contains(&sndbuf), "{text}");
    assert!(text.contains(&rcvbuf), "{text}");
    assert!(text.contains("asked for 8192: SO_SNDBUF 16384, SO_RCVBUF 16384"));
    assert!(text.contains("asked for 65536: SO_SNDBUF 131072, SO_RCVBUF 131072"));
    // The defaults are this machine's sysctls; the book shows the kernel's
    // stock values.
    let shown = Normalizer::new()
        .replace(
            r"SO_SNDBUF \d+ bytes \(net.ipv4.tcp_wmem default \d+\)",
            "SO_SNDBUF 16384 bytes (net.ipv4.tcp_wmem default 16384)",
        )
        .replace(
            r"SO_RCVBUF \d+ bytes \(net.ipv4.tcp_rmem default \d+\)",
            "SO_RCVBUF 131072 bytes (net.ipv4.tcp_rmem default 131072)",
        )
        .apply(&text);
    check_output!("../output/buffer_sizes.txt", &shown);
}

#[test]
fn a_requested_size_above_the_maximum_is_capped_then_doubled() {
    let (wmem_max, rmem_max) = (
        sysctl("net.core.wmem_max")[0],
        sysctl("net.core.rmem_max")[0],
    );
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_send_buffer_size(wmem_max + 1_000_000).unwrap();
    socket.set_recv_buffer_size(rmem_max + 1_000_000).unwrap();
    assert_eq!(socket.send_buffer_size().unwrap(), 2 * wmem_max);
    assert_eq!(socket.recv_buffer_size().unwrap(), 2 * rmem_max);
}

#[test]
fn a_tiny_requested_size_is_raised_to_the_kernels_minimum() {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_send_buffer_size(1).unwrap();
    socket.set_recv_buffer_size(1).unwrap();
    // socket(7) documents 2048 and 256 as the minimum doubled values;
    // current kernels raise them a little (4608 and 2304), never lower.
    let (sndbuf, rcvbuf) = (
        socket.send_buffer_size().unwrap(),
        socket.recv_buffer_size().unwrap(),
    );
    assert!(sndbuf >= 2048, "SO_SNDBUF {sndbuf}");
    assert!(rcvbuf >= 256, "SO_RCVBUF {rcvbuf}");
}

#[test]
fn a_connected_socket_grows_its_send_buffer_unless_you_set_one() {
    let wmem_default = sysctl("net.ipv4.tcp_wmem")[1];
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let tuned = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let _accepted = listener.accept().unwrap();
    assert!(SockRef::from(&tuned).send_buffer_size().unwrap() > wmem_default);

    // Setting SO_SNDBUF locks the size: no autotuning.
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_send_buffer_size(8192).unwrap();
    socket
        .connect(&listener.local_addr().unwrap().into())
        .unwrap();
    let _accepted = listener.accept().unwrap();
    assert_eq!(socket.send_buffer_size().unwrap(), 16384);
}

#[test]
fn a_full_send_buffer_makes_writes_fail_with_wouldblock_then_complete_once_read() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_full_send_buffer")));
    out.assert_success();
    let text = out.stdout_text();
    let took: usize = text
        .split("the kernel took ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no byte count in:\n{text}"));
    // Some bytes fit, but far fewer than the 64 MiB the listing would try.
    assert!(took > 0 && took < 1 << 20, "{took}");
    assert!(text.contains(
        "non-blocking: then Resource temporarily unavailable (os error 11) (WouldBlock)"
    ));
    assert!(text.contains(
        "blocking, 200 ms timeout: Resource temporarily unavailable (os error 11) (WouldBlock)"
    ));
    assert!(text.ends_with("the peer received every byte the writes accepted: true\n"));
    // How much fits depends on the kernel's accounting: the book shows
    // the count from the machine the book was built on.
    let shown = Normalizer::new()
        .replace(r"the kernel took \d+ bytes", "the kernel took 40960 bytes")
        .apply(&text);
    check_output!("../output/full_send_buffer.txt", &shown);
}
