//! `mode_bits`: permission bits, the umask, and the file type bits of
//! `st_mode`, read from real files of six kinds. Give it an empty directory
//! to create its files in, or it makes one under the temp directory.

use std::env;
use std::error::Error;
use std::fs::{self, DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, symlink};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};

use nix::sys::stat::{Mode, umask};
use nix::unistd::mkfifo;

// ANCHOR: umask
/// The process's umask. umask(2) can only set it, returning the old one,
/// so read it by setting it twice (fine in a program with one thread).
fn current_umask() -> u32 {
    let old = umask(Mode::empty());
    umask(old);
    old.bits()
}
// ANCHOR_END: umask

// ANCHOR: filemode
/// The type field: 4 bits, one number, not four flags.
fn type_name(mode: u32) -> &'static str {
    match mode & libc::S_IFMT {
        libc::S_IFREG => "S_IFREG",
        libc::S_IFDIR => "S_IFDIR",
        libc::S_IFLNK => "S_IFLNK",
        libc::S_IFIFO => "S_IFIFO",
        libc::S_IFSOCK => "S_IFSOCK",
        libc::S_IFCHR => "S_IFCHR",
        libc::S_IFBLK => "S_IFBLK",
        _ => "?",
    }
}

/// `ls -l`'s view of a mode, as Python's `stat.filemode` prints it.
fn filemode(mode: u32) -> String {
    let kind = match mode & libc::S_IFMT {
        libc::S_IFDIR => 'd',
        libc::S_IFLNK => 'l',
        libc::S_IFIFO => 'p',
        libc::S_IFSOCK => 's',
        libc::S_IFCHR => 'c',
        libc::S_IFBLK => 'b',
        _ => '-',
    };
    let mut text = String::from(kind);
    // Owner, group, others: three bits each, from bit 8 down to bit 0.
    for (shift, special, set, unset) in [
        (6, libc::S_ISUID, 's', 'S'),
        (3, libc::S_ISGID, 's', 'S'),
        (0, libc::S_ISVTX, 't', 'T'),
    ] {
        let rwx = (mode >> shift) & 0o7;
        text.push(if rwx & 0o4 != 0 { 'r' } else { '-' });
        text.push(if rwx & 0o2 != 0 { 'w' } else { '-' });
        // The execute column also shows setuid, setgid and sticky.
        text.push(match (rwx & 0o1 != 0, mode & special != 0) {
            (true, true) => set,
            (false, true) => unset,
            (true, false) => 'x',
            (false, false) => '-',
        });
    }
    text
}
// ANCHOR_END: filemode

fn main() -> Result<(), Box<dyn Error>> {
    if let Some(dir) = env::args_os().nth(1) {
        return show(Path::new(&dir));
    }
    // No directory given: make one, and remove it again whatever happens.
    let dir = env::temp_dir().join(format!("mode_bits.{}", std::process::id()));
    fs::create_dir(&dir)?;
    let result = show(&dir);
    fs::remove_dir_all(&dir)?;
    result
}

/// Creates a file of each kind in `dir` and shows their modes.
fn show(dir: &Path) -> Result<(), Box<dyn Error>> {
    // ANCHOR: create
    let mask = current_umask();
    println!("umask: {mask:#05o}");
    let file = dir.join("file");
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o666)
        .open(&file)?;
    let mode = fs::metadata(&file)?.mode() & 0o7777;
    println!("file created with 0o666: {mode:#05o} = 0o666 & !{mask:#05o}");
    let sub = dir.join("dir");
    DirBuilder::new().mode(0o777).create(&sub)?;
    let mode = fs::metadata(&sub)?.mode() & 0o7777;
    println!("dir created with 0o777:  {mode:#05o} = 0o777 & !{mask:#05o}");
    // ANCHOR_END: create

    // ANCHOR: kinds
    symlink("file", dir.join("link"))?;
    mkfifo(&dir.join("fifo"), Mode::from_bits_truncate(0o666))?;
    let _socket = UnixListener::bind(dir.join("socket"))?; // a socket file
    let mut paths: Vec<(&str, PathBuf)> = ["file", "dir", "link", "fifo", "socket"]
        .into_iter()
        .map(|name| (name, dir.join(name)))
        .collect();
    paths.push(("/dev/null", "/dev/null".into())); // a character device
    paths.push(("/tmp", "/tmp".into())); // a directory with the sticky bit
    println!(
        "{:<10} {:>6} {:<8}  {:<9} {:<11} & S_IFREG",
        "name", "hex", "octal", "type", "filemode"
    );
    for (name, path) in paths {
        // symlink_metadata is lstat(2): the link itself, not its target.
        let mode = fs::symlink_metadata(&path)?.mode();
        println!(
            "{name:<10} {mode:>6x} {mode:#08o}  {:<9} {:<11} {}",
            type_name(mode),
            filemode(mode),
            mode & libc::S_IFREG != 0, // wrong test: true for links and sockets
        );
    }
    // ANCHOR_END: kinds
    Ok(())
}
