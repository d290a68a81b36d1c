//! Opens a file in each of Python's `open()` modes, once with `OpenOptions`
//! and once with the raw `open(2)` flags, and prints what each mode does.

use std::env;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use ch02_files::errno_name;
use nix::fcntl::{self, OFlag};
use nix::sys::stat::Mode;

const MODES: [&str; 8] = ["r", "w", "a", "x", "r+", "w+", "a+", "x+"];

// ANCHOR: options
/// Python's `open(path, mode)` as `OpenOptions`.
fn options(python_mode: &str) -> OpenOptions {
    let mut options = OpenOptions::new();
    match python_mode {
        "r" => options.read(true),
        "w" => options.write(true).create(true).truncate(true),
        "a" => options.append(true).create(true),
        "x" => options.write(true).create_new(true),
        "r+" => options.read(true).write(true),
        "w+" => options.read(true).write(true).create(true).truncate(true),
        "a+" => options.read(true).append(true).create(true),
        "x+" => options.read(true).write(true).create_new(true),
        _ => panic!("not a Python mode: {python_mode}"),
    };
    options
}
// ANCHOR_END: options

// ANCHOR: flags
/// Python's `open(path, mode)` as the flags of the `open(2)` system call.
fn flags(python_mode: &str) -> OFlag {
    use OFlag as O;
    match python_mode {
        "r" => O::O_RDONLY,
        "w" => O::O_WRONLY | O::O_CREAT | O::O_TRUNC,
        "a" => O::O_WRONLY | O::O_CREAT | O::O_APPEND,
        "x" => O::O_WRONLY | O::O_CREAT | O::O_EXCL,
        "r+" => O::O_RDWR,
        "w+" => O::O_RDWR | O::O_CREAT | O::O_TRUNC,
        "a+" => O::O_RDWR | O::O_CREAT | O::O_APPEND,
        "x+" => O::O_RDWR | O::O_CREAT | O::O_EXCL,
        _ => panic!("not a Python mode: {python_mode}"),
    }
}
// ANCHOR_END: flags

// ANCHOR: probe
/// What `open` does with a missing file, then with a file that holds
/// `0123456789`: read 4 bytes, write "ab", and look at the file again.
fn probe<F>(path: &Path, open: F) -> io::Result<String>
where
    F: Fn(&Path) -> io::Result<File>,
{
    if path.exists() {
        fs::remove_file(path)?;
    }
    let missing = match open(path) {
        Ok(_) => "created".to_owned(),
        Err(err) => errno_name(&err),
    };

    fs::write(path, "0123456789")?;
    let mut file = match open(path) {
        Ok(file) => file,
        Err(err) => return Ok(format!("{missing:<10}{}", errno_name(&err))),
    };
    let existing = match fs::metadata(path)?.len() {
        0 => "truncated",
        _ => "kept",
    };
    let mut buf = [0; 4];
    let read = match file.read(&mut buf) {
        Ok(n) => format!("{:?}", String::from_utf8_lossy(&buf[..n])),
        Err(err) => errno_name(&err),
    };
    let write = match file.write(b"ab") {
        Ok(n) => format!("{n} bytes"),
        Err(err) => errno_name(&err),
    };
    drop(file);
    let after = fs::read_to_string(path)?;
    Ok(format!(
        "{missing:<10}{existing:<11}{read:<9}{write:<10}{after:?}"
    ))
}
// ANCHOR_END: probe

// ANCHOR: main
fn main() -> io::Result<()> {
    let dir = match env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => env::temp_dir().join("ch02-open-modes"),
    };
    fs::create_dir_all(&dir)?;
    let path = dir.join("demo.txt");

    println!("mode  missing   existing   read(4)  write(ab) file afterwards");
    for mode in MODES {
        let with_options = probe(&path, |path| options(mode).open(path))?;
        let with_flags = probe(&path, |path| {
            let permissions = Mode::from_bits_truncate(0o666); // as std does
            let fd = fcntl::open(path, flags(mode), permissions)?;
            Ok(File::from(fd))
        })?;
        if with_options != with_flags {
            let why = format!("{mode}: {with_options:?} but {with_flags:?}");
            return Err(io::Error::other(why));
        }
        println!("{mode:<6}{with_options}");
    }
    println!("open(2) with the O_* flags behaved the same in every mode.");
    Ok(())
}
// ANCHOR_END: main
