//! Makes four files of about 4 MiB in four ways and compares their apparent
//! size with the disk space they really use.

use std::env;
use std::fs::{self, File};
use std::io::{self, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use nix::fcntl::{FallocateFlags, fallocate};

const MIB: u64 = 1024 * 1024;

// ANCHOR: main
fn main() -> io::Result<()> {
    let dir = match env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => env::temp_dir().join("ch02-sparse"),
    };
    fs::create_dir_all(&dir)?;
    let n = 4;

    // The notes' placeholder: seek n MiB past the end, write one byte.
    let mut placeholder = File::create(dir.join("placeholder"))?;
    placeholder.seek(SeekFrom::End((n * MIB) as i64))?;
    placeholder.write_all(b" ")?;

    // set_len: ftruncate(2) to n MiB. Nothing is written at all.
    File::create(dir.join("set_len"))?.set_len(n * MIB)?;

    // fallocate(2): ask the file system to reserve n MiB of blocks.
    let reserved = File::create(dir.join("fallocate"))?;
    fallocate(&reserved, FallocateFlags::empty(), 0, (n * MIB) as i64)?;

    // Really write n MiB of data.
    let mut written = File::create(dir.join("written"))?;
    written.write_all(&vec![0xab; (n * MIB) as usize])?;

    println!("{:<12} {:>10} {:>18}", "file", "len()", "blocks() * 512");
    for name in ["placeholder", "set_len", "fallocate", "written"] {
        show(&dir.join(name))?;
    }
    Ok(())
}
// ANCHOR_END: main

// ANCHOR: show
fn show(path: &Path) -> io::Result<()> {
    let meta = fs::metadata(path)?;
    let apparent = meta.len(); // st_size: what ls -l and os.path.getsize say
    let allocated = meta.blocks() * 512; // st_blocks counts 512-byte units
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    println!("{name:<12} {apparent:>10} {allocated:>18}");
    Ok(())
}
// ANCHOR_END: show
