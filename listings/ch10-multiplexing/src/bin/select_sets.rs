//! `select_sets`: `select(2)`'s three sets on one connection: readable,
//! writable, and exceptional, which reports urgent (out-of-band) data.
//! Then `FD_SETSIZE`, the highest descriptor a set can hold, plus one.

use std::io::{self, Read};
use std::mem::MaybeUninit;
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::panic;

use ch10_multiplexing::raise_nofile_limit;
use nix::fcntl::{FcntlArg, fcntl};
use nix::sys::select::{FdSet, select};
use nix::sys::time::{TimeVal, TimeValLike};
use socket2::SockRef;

/// Which of `fds` are in `set`, by name.
fn members(set: &FdSet, fds: &[(&str, BorrowedFd)]) -> String {
    let names: Vec<&str> = fds
        .iter()
        .filter(|(_, fd)| set.contains(*fd))
        .map(|(name, _)| *name)
        .collect();
    format!("[{}]", names.join(", "))
}

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    let fds = [
        ("listener", listener.as_fd()),
        ("client", client.as_fd()),
        ("server", server.as_fd()),
    ];

    // ANCHOR: sets
    // Ask about everything: select reports, in each set, which are ready.
    let ask = |label: &str| -> io::Result<()> {
        let (mut read, mut write, mut except) = (FdSet::new(), FdSet::new(), FdSet::new());
        for (_, fd) in &fds {
            read.insert(*fd);
            write.insert(*fd);
            except.insert(*fd);
        }
        // A zero timeout polls: report what is ready now, without waiting.
        let mut now = TimeVal::zero();
        let ready = select(None, &mut read, &mut write, &mut except, &mut now)?;
        println!("{label}: {ready} ready");
        println!("  read   {}", members(&read, &fds));
        println!("  write  {}", members(&write, &fds));
        println!("  except {}", members(&except, &fds));
        Ok(())
    };
    ask("connected, nothing sent")?;
    // ANCHOR_END: sets

    // ANCHOR: oob
    // "hello" as ordinary data, then one urgent byte (send with MSG_OOB).
    SockRef::from(&client).send(b"hello")?;
    SockRef::from(&client).send_out_of_band(b"!")?;
    // Wait until the server side has both, then ask again.
    let mut read = FdSet::new();
    read.insert(server.as_fd());
    select(None, &mut read, None, None, None)?;
    ask("after 5 bytes and 1 urgent byte")?;
    let mut urgent = [MaybeUninit::<u8>::uninit()];
    let n = SockRef::from(&server).recv_out_of_band(&mut urgent)?;
    // SAFETY: recv_out_of_band initialised the first n bytes.
    let byte = unsafe { urgent[0].assume_init() };
    println!("recv(MSG_OOB) got {n} byte: {:?}", byte as char);
    let mut ordinary = [0u8; 16];
    let n = (&server).read(&mut ordinary)?;
    println!(
        "read got {n} bytes: {:?}",
        String::from_utf8_lossy(&ordinary[..n])
    );
    // ANCHOR_END: oob

    // ANCHOR: setsize
    println!("FD_SETSIZE = {}", libc::FD_SETSIZE);
    // A descriptor numbered FD_SETSIZE or more does not fit in a set.
    // Make one: raise the soft RLIMIT_NOFILE (often 1,024) to the hard
    // limit, and duplicate the listener to the lowest free number >= 1024.
    raise_nofile_limit()?;
    match fcntl(&listener, FcntlArg::F_DUPFD_CLOEXEC(1024)) {
        Ok(high) => {
            // SAFETY: fcntl returned a new descriptor that nothing else owns.
            let high = unsafe { OwnedFd::from_raw_fd(high) };
            panic::set_hook(Box::new(|_| {})); // no message on stderr
            let inserted = panic::catch_unwind(|| FdSet::new().insert(high.as_fd()));
            let _ = panic::take_hook();
            let why = inserted
                .err()
                .and_then(|panic| panic.downcast_ref::<&str>().copied());
            println!("FdSet::insert({}) panics: {why:?}", high.as_raw_fd());
        }
        Err(err) => println!("no descriptor >= 1024 with this RLIMIT_NOFILE: {err}"),
    }
    // ANCHOR_END: setsize
    Ok(())
}
