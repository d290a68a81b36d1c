//! `unix_stream [DIR]`: a Unix domain stream socket bound to a path. A
//! forked client connects and the server learns who it is; then the
//! socket file outlives the listener.

use std::env;
use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use ch07_ipc::{fork_child, wait_child};
use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};
use nix::unistd::getuid;

// ANCHOR: client
fn client(path: &Path) -> io::Result<()> {
    let mut stream = UnixStream::connect(path)?; // socket(AF_UNIX) + connect
    stream.write_all(b"hello over a Unix socket\n")?;
    let mut answer = String::new();
    BufReader::new(&stream).read_line(&mut answer)?;
    print!("client got: {answer}");
    Ok(())
}
// ANCHOR_END: client

fn main() -> io::Result<()> {
    let dir = match env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => env::temp_dir().join("ch07-unix-stream"),
    };
    fs::create_dir_all(&dir)?;
    let path = dir.join("echo.sock");
    let _ = fs::remove_file(&path); // a socket file left by an earlier run

    // ANCHOR: server
    let listener = UnixListener::bind(&path)?; // creates the socket file
    let kind = fs::metadata(&path)?.file_type();
    println!("bound echo.sock: a socket file: {}", kind.is_socket());

    let child = fork_child(|| match client(&path) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("client: {err}");
            1
        }
    })?;
    let (stream, _addr) = listener.accept()?;
    // SO_PEERCRED: the kernel says who connected, and nobody can lie about it.
    let peer = getsockopt(&stream, PeerCredentials)?;
    println!(
        "accepted: peer pid is the child's: {}, same uid as ours: {}",
        peer.pid() == child.as_raw(),
        peer.uid() == getuid().as_raw()
    );
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    (&stream).write_all(line.to_uppercase().as_bytes())?;
    wait_child(child)?;
    // ANCHOR_END: server

    // ANCHOR: leftover
    drop((stream, listener)); // close(2) both: nobody listens any more
    println!("after close, echo.sock still exists: {}", path.exists());
    match UnixListener::bind(&path) {
        Ok(_) => println!("bind again: ok"),
        Err(err) => println!("bind again: {err}"),
    }
    fs::remove_file(&path)?; // what a server must do before it binds
    UnixListener::bind(&path)?;
    println!("after remove_file, bind again: ok");
    fs::remove_file(&path)?;
    // ANCHOR_END: leftover
    Ok(())
}
