//! Unix domain sockets: paths and socket files, peer credentials, abstract
//! names, datagrams, and passing descriptors.

use std::io::ErrorKind;
use std::os::unix::net::UnixDatagram;
use std::process::Command;

use harness::{Normalizer, check_output, run};

use crate::bin;
use crate::common::{have, run_forking};

#[test]
fn a_unix_stream_socket_is_a_file_that_outlives_its_listener() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = run_forking(Command::new(bin!("unix_stream")).arg(dir.path()));
    out.assert_success();
    let text = out.stdout_text();
    assert!(
        text.contains("peer pid is the child's: true, same uid as ours: true\n"),
        "{text}"
    );
    assert!(
        text.contains("client got: HELLO OVER A UNIX SOCKET\n"),
        "{text}"
    );
    assert!(
        text.contains("bind again: Address already in use (os error 98)\n"),
        "{text}"
    );
    assert!(
        !dir.path().join("echo.sock").exists(),
        "the listing removes its socket"
    );
    check_output!("../../output/unix_stream.txt", &text);
}

#[test]
fn unix_datagrams_keep_their_boundaries_and_abstract_names_leave_no_file() {
    let (out, _) = run_forking(&mut Command::new(bin!("unix_datagram")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.contains("listed in /proc/net/unix: true\n"), "{text}");
    assert!(
        text.contains("received \"one\" (3 bytes)")
            && text.contains("received \"three\" (5 bytes)"),
        "{text}"
    );
    assert!(text.contains("after close, listed: false\n"), "{text}");
    check_output!("../../output/unix_datagram.txt", &text);
}

#[test]
fn a_full_unix_datagram_socket_makes_the_sender_wait_instead_of_dropping() {
    let (sender, receiver) = UnixDatagram::pair().unwrap();
    sender.set_nonblocking(true).unwrap();
    let mut sent = 0u32;
    loop {
        match sender.send(&sent.to_be_bytes()) {
            Ok(_) => sent += 1,
            Err(err) if err.kind() == ErrorKind::WouldBlock => break,
            Err(err) => panic!("send: {err}"),
        }
        assert!(sent < 1_000_000, "the queue never filled");
    }
    // Blocking, the sender would wait here. Nothing was dropped: every
    // datagram is there, in order.
    receiver.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 4];
    for expected in 0..sent {
        receiver.recv(&mut buf).unwrap();
        assert_eq!(u32::from_be_bytes(buf), expected);
    }
    assert_eq!(
        receiver.recv(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
}

#[test]
fn a_passed_descriptor_shares_the_senders_open_file_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = run_forking(Command::new(bin!("pass_fd")).arg(dir.path()));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.contains("child: opened it as fd "), "{text}");
    assert!(text.contains("which is \"data.txt\""), "{text}");
    assert!(
        text.ends_with("parent: read on from the child's offset: \"line\\nsecond line\\n\"\n"),
        "{text}"
    );
    // The numbers differ: the receiver gets its own lowest free descriptor.
    let number = |prefix: &str| -> u32 {
        let at = text.find(prefix).unwrap() + prefix.len();
        text[at..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_ne!(number("opened it as fd "), number("received fd "));
    let shown = Normalizer::new()
        .replace(r"opened it as fd \d+", "opened it as fd 5")
        .replace(r"received fd \d+", "received fd 4")
        .apply(&text);
    check_output!("../../output/pass_fd.txt", &shown);
}

#[test]
fn python_passes_descriptors_with_send_fds_and_binds_abstract_names_with_a_nul() {
    if !have("python3") {
        eprintln!("note: no python3; Python's AF_UNIX not checked");
        return;
    }
    let script = r#"
import os, socket
a, b = socket.socketpair()
r, w = os.pipe()
os.write(w, b"through the passed descriptor")
socket.send_fds(a, [b"F"], [r])
msg, fds, flags, addr = socket.recv_fds(b, 1, 1)
print(msg, fds[0] != r, os.read(fds[0], 100))
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0ch07-py-%d" % os.getpid())
print(s.getsockname()[:8])
try:
    socket.socket(socket.AF_UNIX).bind("/tmp/" + "x" * 120)
except OSError as err:
    print(err)
"#;
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "b'F' True b'through the passed descriptor'\nb'\\x00ch07-py'\nAF_UNIX path too long\n"
    );
}

#[test]
fn connecting_to_a_socket_file_needs_write_permission_on_it() {
    use std::fs;
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::net::{UnixListener, UnixStream};

    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let path = dir.path().join("private.sock");
    let _listener = UnixListener::bind(&path).unwrap();
    if !crate::common::is_root() {
        // Our own socket, with no write permission for anybody.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o555)).unwrap();
        let err = UnixStream::connect(&path).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EACCES), "{err}");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        UnixStream::connect(&path).unwrap();
        return;
    }
    // Root ignores file permissions: ask `nobody` to connect instead.
    if !have("setpriv") || !have("python3") {
        eprintln!("note: no setpriv or python3; socket permissions not checked as nobody");
        return;
    }
    let script = "import socket, sys\n\
        s = socket.socket(socket.AF_UNIX)\n\
        try:\n    s.connect(sys.argv[1]); print('connected')\n\
        except OSError as err:\n    print(err.strerror)";
    let connect = || {
        run(Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            // A PATH that nobody may search: not root's home directory.
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .args(["python3", "-c", script])
            .arg(&path))
        .stdout_text()
    };
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        connect(),
        "Permission denied\n",
        "no write permission for others"
    );
    fs::set_permissions(&path, fs::Permissions::from_mode(0o757)).unwrap();
    assert_eq!(connect(), "connected\n");
}
