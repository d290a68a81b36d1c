//! `pass_fd [DIR]`: a child opens a file its parent never opened, reads a
//! little, and sends the open descriptor over a Unix socket (SCM_RIGHTS).
//! The parent reads on from where the child stopped.

use std::env;
use std::fs::{self, File};
use std::io::{self, IoSlice, IoSliceMut, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

use ch07_ipc::{fork_child, wait_child};
use nix::cmsg_space;
use nix::sys::socket::{ControlMessage, ControlMessageOwned, MsgFlags, recvmsg, sendmsg};

// ANCHOR: send_fd
/// Sends one byte, with `fd` attached as ancillary data.
fn send_fd(socket: &UnixStream, fd: RawFd) -> io::Result<()> {
    let fds = [fd];
    let rights = [ControlMessage::ScmRights(&fds)];
    let byte = [IoSlice::new(b"F")]; // a message must carry at least one byte
    sendmsg::<()>(socket.as_raw_fd(), &byte, &rights, MsgFlags::empty(), None)?;
    Ok(())
}
// ANCHOR_END: send_fd

// ANCHOR: recv_fd
/// Receives the byte and the descriptor that came with it, as a new
/// descriptor of this process (close-on-exec, like every std descriptor).
fn recv_fd(socket: &UnixStream) -> io::Result<OwnedFd> {
    let mut byte = [0u8; 1];
    let mut iov = [IoSliceMut::new(&mut byte)];
    let mut space = cmsg_space!([RawFd; 1]);
    let flags = MsgFlags::MSG_CMSG_CLOEXEC;
    let msg = recvmsg::<()>(socket.as_raw_fd(), &mut iov, Some(&mut space), flags)?;
    for cmsg in msg.cmsgs()? {
        if let ControlMessageOwned::ScmRights(fds) = cmsg
            && let [fd] = fds[..]
        {
            // SAFETY: the kernel just installed this descriptor for us.
            return Ok(unsafe { OwnedFd::from_raw_fd(fd) });
        }
    }
    Err(io::Error::other("no descriptor came with the message"))
}
// ANCHOR_END: recv_fd

// ANCHOR: child
fn child(socket: &UnixStream, path: &Path) -> io::Result<()> {
    let mut file = File::open(path)?; // the parent never opens this file
    let mut start = [0u8; 6];
    file.read_exact(&mut start)?;
    println!(
        "child: opened it as fd {}, read {:?}",
        file.as_raw_fd(),
        String::from_utf8_lossy(&start)
    );
    send_fd(socket, file.as_raw_fd()) // our copy closes when we exit
}
// ANCHOR_END: child

fn main() -> io::Result<()> {
    let dir = match env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => env::temp_dir().join("ch07-pass-fd"),
    };
    fs::create_dir_all(&dir)?;
    let path = dir.join("data.txt");
    fs::write(&path, "first line\nsecond line\n")?;

    // ANCHOR: main
    let (parent_end, child_end) = UnixStream::pair()?;
    let pid = fork_child(|| match child(&child_end, &path) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("child: {err}");
            1
        }
    })?;
    drop(child_end);
    let fd = recv_fd(&parent_end)?;
    wait_child(pid)?; // the child and its descriptor are gone; ours is not
    let target = fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd()))?;
    println!(
        "parent: received fd {}, which is {:?}",
        fd.as_raw_fd(),
        target.file_name().unwrap_or_default()
    );
    let mut rest = String::new();
    File::from(fd).read_to_string(&mut rest)?;
    println!("parent: read on from the child's offset: {rest:?}");
    // ANCHOR_END: main
    Ok(())
}
