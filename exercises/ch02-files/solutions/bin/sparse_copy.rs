//! Exercise 2.2, a reference solution: copying a sparse file, data only.

use std::env;
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::process::ExitCode;

use nix::errno::Errno;
use nix::unistd::{Whence, lseek};

/// How much to copy with one read and one write.
const CHUNK: usize = 128 * 1024;

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().skip(1).collect();
    let [source, target] = args.as_slice() else {
        eprintln!("usage: sparse_copy SRC DST");
        return ExitCode::FAILURE;
    };
    let (source, target) = (Path::new(source), Path::new(target));
    match copy(source, target) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sparse_copy: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Copies `source` to `target` as `cp --sparse=always` would, or says
/// what failed, in `cp`'s words.
fn copy(source: &Path, target: &Path) -> Result<(), String> {
    let shown = |path: &Path| format!("'{}'", path.display());
    let meta = fs::metadata(source)
        .map_err(|err| format!("cannot stat {}: {}", shown(source), describe(&err)))?;
    let src = File::open(source).map_err(|err| {
        let why = describe(&err);
        format!("cannot open {} for reading: {why}", shown(source))
    })?;
    // O_TRUNC matters: the holes get no writes, so without it an old,
    // longer DST would show its old bytes through them.
    let dst = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(meta.permissions().mode() & 0o777) // less the umask, by the kernel
        .open(target)
        .map_err(|err| {
            let why = describe(&err);
            format!("cannot create regular file {}: {why}", shown(target))
        })?;

    let read_error =
        |err: io::Error| format!("error reading {}: {}", shown(source), describe(&err));
    let write_error =
        |err: io::Error| format!("error writing {}: {}", shown(target), describe(&err));
    let mut buf = vec![0; CHUNK];
    let mut offset = 0;
    loop {
        // The next data at or after `offset`, and the hole that ends it.
        let data = match lseek(&src, offset, Whence::SeekData) {
            Ok(data) => data,
            Err(Errno::ENXIO) => break, // nothing but hole from here to the end
            Err(errno) => return Err(read_error(errno.into())),
        };
        let hole = lseek(&src, data, Whence::SeekHole).map_err(|errno| read_error(errno.into()))?;
        // pread and pwrite: each at its own offset, whatever lseek did to
        // the file offset.
        let mut at = data;
        while at < hole {
            let want = CHUNK.min((hole - at) as usize);
            let n = match src.read_at(&mut buf[..want], at as u64) {
                Ok(0) => break, // the file shrank while we copied
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(read_error(err)),
            };
            dst.write_all_at(&buf[..n], at as u64)
                .map_err(write_error)?;
            at += n as i64;
        }
        offset = hole;
    }
    // Nothing was written into a trailing hole: set the length.
    dst.set_len(meta.len()).map_err(write_error)
}

/// The system's message for `err`, without Rust's " (os error N)".
fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    match err.raw_os_error() {
        Some(code) => text
            .strip_suffix(&format!(" (os error {code})"))
            .map_or(text.clone(), str::to_owned),
        None => text,
    }
}
