//! `shm_named`: shared memory between unrelated processes. The parent
//! creates `/dev/shm/ch07-shm-<pid>`, writes a message into it and runs a
//! new program (this one, with `--child NAME`) that finds the memory by
//! name, reads the message and writes an answer.

use std::env;
use std::fs::File;
use std::io;
use std::num::NonZeroUsize;
use std::os::fd::OwnedFd;
use std::process::Command;
use std::ptr::NonNull;
use std::slice;

use ch07_ipc::{UnlinkShm, ipc_name};
use nix::fcntl::OFlag;
use nix::sys::mman::{MapFlags, ProtFlags, mmap, munmap, shm_open};
use nix::sys::stat::Mode;

const SIZE: usize = 4096;

// ANCHOR: map
/// Memory mapped from a shared memory object: `len` bytes at `ptr`.
struct Mapping {
    ptr: NonNull<u8>,
    len: usize,
}

impl Mapping {
    /// Maps the whole object `fd`, shared: writes reach the object, and
    /// every process that maps it.
    fn new(fd: &OwnedFd) -> io::Result<Mapping> {
        let len = File::from(fd.try_clone()?).metadata()?.len() as usize;
        let empty = || io::Error::other("the object is empty");
        let size = NonZeroUsize::new(len).ok_or_else(empty)?;
        let prot = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
        // SAFETY: a new mapping overlaps no Rust object. Other processes
        // may write it at any time, so it is only ever used as bytes.
        let ptr = unsafe { mmap(None, size, prot, MapFlags::MAP_SHARED, fd, 0) }?;
        Ok(Mapping {
            ptr: ptr.cast(),
            len,
        })
    }

    /// The bytes: Python's `Array("c", …)`. Each process has its own
    /// `Mapping`, and this program takes turns, so `&mut` is not shared.
    fn bytes(&mut self) -> &mut [u8] {
        // SAFETY: `len` mapped bytes at `ptr`, alive until drop.
        unsafe { slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }

    /// Text stored NUL-terminated, like `Array("c", …).value`.
    fn text(&mut self) -> String {
        let bytes = self.bytes();
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        String::from_utf8_lossy(&bytes[..end]).into_owned()
    }

    fn set_text(&mut self, text: &str) {
        let bytes = self.bytes();
        bytes.fill(0);
        bytes[..text.len()].copy_from_slice(text.as_bytes());
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: this exact range was mapped by `new`.
        let _ = unsafe { munmap(self.ptr.cast(), self.len) };
    }
}
// ANCHOR_END: map

// ANCHOR: child
/// The other program: open the object by name, read, answer.
fn child(name: &str) -> io::Result<()> {
    let fd = shm_open(name, OFlag::O_RDWR, Mode::empty())?; // no O_CREAT
    let mut memory = Mapping::new(&fd)?;
    println!("child read {:?} from {name}", memory.text());
    memory.set_text("hello from the child");
    Ok(())
}
// ANCHOR_END: child

fn main() -> io::Result<()> {
    let args: Vec<String> = env::args().skip(1).collect();
    if let [flag, name] = args.as_slice()
        && flag == "--child"
    {
        return child(name);
    }
    // ANCHOR: parent
    let name = ipc_name("shm"); // "/ch07-shm-<pid>"
    let flags = OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR;
    let fd = shm_open(name.as_str(), flags, Mode::S_IRUSR | Mode::S_IWUSR)?;
    let _unlink = UnlinkShm(name.clone()); // shm_unlink at the end, even on error
    nix::unistd::ftruncate(&fd, SIZE as i64)?; // a new object is 0 bytes long
    let mut memory = Mapping::new(&fd)?;
    memory.set_text("hello from the parent");
    println!("parent wrote {:?} to /dev/shm{name}", memory.text());

    let status = Command::new(env::current_exe()?)
        .args(["--child", &name])
        .status()?; // a new program: it shares no memory with us by birth
    println!("child: {status}");
    println!("parent reads {:?}", memory.text());
    // ANCHOR_END: parent
    Ok(())
}
