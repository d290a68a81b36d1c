//! Exercise 7.2: `fd_server SOCKET ROOT`, a server that hands out open
//! files.
//!
//! It listens on the Unix socket SOCKET (replacing a stale socket file) and
//! prints `listening on SOCKET`. It serves one client at a time. A client
//! sends one line, a path relative to ROOT. If the path names a regular
//! file inside ROOT, the server answers the single byte `+` with the file,
//! opened read-only, attached as SCM_RIGHTS. Otherwise it answers one line
//! and no descriptor: `-outside the root` (absolute paths, `..` and links
//! that leave ROOT), `-not found`, `-not a regular file`, or `-bad request`
//! (no line within 4096 bytes). Then it closes the connection. A client
//! that leaves early or sends garbage never stops the server.

use std::env;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, IoSlice, Read, Write};
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::process::ExitCode;

use nix::errno::Errno;
use nix::fcntl::{OFlag, OpenHow, ResolveFlag, openat2};
use nix::sys::socket::{ControlMessage, MsgFlags, sendmsg};

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let [socket, root] = args.as_slice() else {
        eprintln!("usage: fd_server SOCKET ROOT");
        return ExitCode::from(2);
    };
    match serve(Path::new(socket), Path::new(root)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("fd_server: {err}");
            ExitCode::FAILURE
        }
    }
}

fn serve(socket: &Path, root: &Path) -> io::Result<()> {
    let root = File::open(root)?; // every open is relative to this directory
    if fs::symlink_metadata(socket).is_ok_and(|meta| meta.file_type().is_socket()) {
        fs::remove_file(socket)?; // left by an earlier run
    }
    let listener = UnixListener::bind(socket)?;
    println!("listening on {}", socket.display());
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                if let Err(err) = answer(&stream, &root) {
                    eprintln!("fd_server: client: {err}");
                }
            }
            Err(err) => eprintln!("fd_server: accept: {err}"),
        }
    }
    Ok(())
}

/// Reads one request from `stream` and answers it.
fn answer(stream: &UnixStream, root: &File) -> io::Result<()> {
    let mut line = Vec::new();
    BufReader::new(stream.take(4097)).read_until(b'\n', &mut line)?;
    let Some(path) = line.strip_suffix(b"\n") else {
        return refuse(stream, "bad request");
    };
    let path = String::from_utf8_lossy(path).into_owned();
    match open_beneath(root, &path) {
        Ok(file) => {
            let fds = [file.as_raw_fd()];
            let rights = [ControlMessage::ScmRights(&fds)];
            let plus = [IoSlice::new(b"+")];
            sendmsg::<()>(stream.as_raw_fd(), &plus, &rights, MsgFlags::empty(), None)?;
            Ok(()) // our copy of the descriptor closes here; the client's stays
        }
        Err(reason) => refuse(stream, reason),
    }
}

fn refuse(mut stream: &UnixStream, reason: &str) -> io::Result<()> {
    writeln!(stream, "-{reason}")
}

/// Opens `path` read-only below `root`. RESOLVE_BENEATH makes the kernel
/// refuse (EXDEV) absolute paths, `..` above the root, and links that
/// lead out of it, all in the same system call as the open.
fn open_beneath(root: &File, path: &str) -> Result<File, &'static str> {
    let how = OpenHow::new()
        .flags(OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_NOCTTY | OFlag::O_CLOEXEC)
        .resolve(ResolveFlag::RESOLVE_BENEATH | ResolveFlag::RESOLVE_NO_MAGICLINKS);
    let file = match openat2(root.as_fd(), path, how) {
        Ok(fd) => File::from(fd),
        Err(Errno::EXDEV | Errno::ELOOP) => return Err("outside the root"),
        Err(Errno::ENOENT | Errno::ENOTDIR) => return Err("not found"),
        Err(_) => return Err("cannot open"),
    };
    match file.metadata() {
        Ok(meta) if meta.is_file() => Ok(file),
        _ => Err("not a regular file"),
    }
}
