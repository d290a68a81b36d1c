//! Exercise 7.2: A server that hands out open files
//! Edit: exercises/ch07-ipc/src/bin/fd_server.rs
//! Hint: Open `ROOT` once as a `File`, then each request with `nix::fcntl::openat2` relative to it, with `ResolveFlag::RESOLVE_BENEATH`: the kernel refuses `..`, absolute paths and links out of the root with `EXDEV`. Send the descriptor with `nix::sys::socket::sendmsg` and `ControlMessage::ScmRights`, and at least one byte of data.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, IoSliceMut, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::symlink;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

use harness::{ChildGuard, DEADLINE, exercise_bin};
use nix::cmsg_space;
use nix::sys::socket::{ControlMessageOwned, MsgFlags, recvmsg};

/// A running fd_server and the files it serves:
///
/// ```text
/// dir/secret.txt           outside the root
/// dir/root/notes.txt       "hello from the root\n"
/// dir/root/sub/inner.txt   "inner\n"
/// dir/root/escape   ->     ../secret.txt
/// dir/root/inside   ->     sub/inner.txt
/// dir/root/sub/            a directory
/// ```
struct Fixture {
    dir: tempfile::TempDir,
    socket: PathBuf,
    server: ChildGuard,
}

fn start() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::write(dir.path().join("secret.txt"), "the secret\n").unwrap();
    fs::write(root.join("notes.txt"), "hello from the root\n").unwrap();
    fs::write(root.join("sub/inner.txt"), "inner\n").unwrap();
    symlink("../secret.txt", root.join("escape")).unwrap();
    symlink("sub/inner.txt", root.join("inside")).unwrap();
    let socket = dir.path().join("fd.sock");
    start_on(dir, socket)
}

fn start_on(dir: tempfile::TempDir, socket: PathBuf) -> Fixture {
    let mut cmd = Command::new(exercise_bin!("fd_server"));
    cmd.arg(&socket)
        .arg(dir.path().join("root"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    let mut server = ChildGuard::spawn(&mut cmd).unwrap();
    let stdout = server.child_mut().stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(DEADLINE).unwrap_or_default();
    let expected = format!("listening on {}\n", socket.display());
    assert_eq!(line, expected, "fd_server's first line");
    Fixture {
        dir,
        socket,
        server,
    }
}

/// Asks for `path`; returns the answer's bytes and the descriptor, if any.
fn ask(socket: &Path, path: &str) -> (Vec<u8>, Option<OwnedFd>) {
    let mut stream = UnixStream::connect(socket).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    stream.write_all(format!("{path}\n").as_bytes()).unwrap();
    let mut buf = [0u8; 256];
    let mut iov = [IoSliceMut::new(&mut buf)];
    let mut space = cmsg_space!([RawFd; 4]);
    let msg = recvmsg::<()>(
        stream.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::MSG_CMSG_CLOEXEC,
    )
    .unwrap();
    let mut fd = None;
    for cmsg in msg.cmsgs().unwrap() {
        if let ControlMessageOwned::ScmRights(fds) = cmsg {
            for raw in fds {
                // SAFETY: the kernel installed these descriptors for us.
                let owned = unsafe { OwnedFd::from_raw_fd(raw) };
                assert!(fd.is_none(), "more than one descriptor came");
                fd = Some(owned);
            }
        }
    }
    let n = msg.bytes;
    let mut answer = buf[..n].to_vec();
    // A refusal may come in more than one read; take the rest of the line.
    if answer.first() == Some(&b'-') && !answer.ends_with(b"\n") {
        let mut rest = Vec::new();
        let _ = BufReader::new(&mut stream).read_until(b'\n', &mut rest);
        answer.extend(rest);
    }
    (answer, fd)
}

fn read_all(fd: OwnedFd) -> String {
    let mut text = String::new();
    File::from(fd).read_to_string(&mut text).unwrap();
    text
}

#[test]
fn a_file_in_the_root_arrives_as_an_open_descriptor() {
    let fixture = start();
    let (answer, fd) = ask(&fixture.socket, "notes.txt");
    assert_eq!(answer, b"+");
    let fd = fd.expect("a descriptor with the answer");
    assert_eq!(read_all(fd), "hello from the root\n");
}

#[test]
fn the_descriptor_is_open_for_reading_only() {
    let fixture = start();
    let (_, fd) = ask(&fixture.socket, "notes.txt");
    let mut file = File::from(fd.expect("a descriptor"));
    let err = file.write_all(b"scribble").unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EBADF), "{err}");
    let notes = fs::read_to_string(fixture.dir.path().join("root/notes.txt")).unwrap();
    assert_eq!(notes, "hello from the root\n");
}

#[test]
fn files_in_subdirectories_and_links_that_stay_inside_are_served() {
    let fixture = start();
    for path in ["sub/inner.txt", "inside", "./sub/../sub/inner.txt"] {
        let (answer, fd) = ask(&fixture.socket, path);
        assert_eq!(answer, b"+", "{path}");
        assert_eq!(read_all(fd.expect("a descriptor")), "inner\n", "{path}");
    }
}

#[test]
fn paths_that_leave_the_root_are_refused_without_a_descriptor() {
    let fixture = start();
    let secret = fixture.dir.path().join("secret.txt");
    for path in [
        "../secret.txt",
        "sub/../../secret.txt",
        "escape",
        secret.to_str().unwrap(),
    ] {
        let (answer, fd) = ask(&fixture.socket, path);
        assert_eq!(
            String::from_utf8_lossy(&answer),
            "-outside the root\n",
            "{path}"
        );
        assert!(fd.is_none(), "{path}: a descriptor came with the refusal");
    }
}

#[test]
fn missing_files_and_directories_are_refused() {
    let fixture = start();
    let (answer, fd) = ask(&fixture.socket, "nothing.txt");
    assert_eq!(String::from_utf8_lossy(&answer), "-not found\n");
    assert!(fd.is_none());
    let (answer, fd) = ask(&fixture.socket, "sub");
    assert_eq!(String::from_utf8_lossy(&answer), "-not a regular file\n");
    assert!(fd.is_none());
}

#[test]
fn clients_are_served_in_turn_and_a_silent_one_does_not_stop_the_server() {
    let fixture = start();
    // A client that connects and leaves without a request.
    drop(UnixStream::connect(&fixture.socket).unwrap());
    // One that sends a line too long to be a request.
    let mut long = UnixStream::connect(&fixture.socket).unwrap();
    long.set_read_timeout(Some(DEADLINE)).unwrap();
    let _ = long.write_all(&[b'a'; 5000]);
    let mut answer = String::new();
    let _ = BufReader::new(&long).read_line(&mut answer);
    assert_eq!(answer, "-bad request\n");
    for _ in 0..3 {
        let (answer, fd) = ask(&fixture.socket, "notes.txt");
        assert_eq!(answer, b"+");
        assert_eq!(read_all(fd.expect("a descriptor")), "hello from the root\n");
    }
    let mut server = fixture.server;
    assert!(
        server
            .wait_timeout(std::time::Duration::ZERO)
            .unwrap()
            .is_none(),
        "it exited"
    );
}

#[test]
fn a_stale_socket_file_from_an_earlier_run_is_replaced() {
    let first = start();
    let Fixture {
        dir,
        socket,
        mut server,
    } = first;
    server.kill().unwrap(); // killed: the socket file stays behind
    assert!(socket.exists());
    let second = start_on(dir, socket);
    let (answer, _) = ask(&second.socket, "notes.txt");
    assert_eq!(answer, b"+");
}
