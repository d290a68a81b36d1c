//! Helpers shared by several listings of chapter 2.

use std::io;

use nix::errno::Errno;

/// The C library's message for `err`, without Rust's ` (os error N)` suffix:
/// what `cat` or `ls` would print after the file name.
pub fn strerror(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(code) => Errno::from_raw(code).desc().to_owned(),
        None => err.to_string(),
    }
}

/// The symbolic name of the error number behind `err` (`ENOENT`, `EBADF`),
/// or its message if the error did not come from the kernel.
pub fn errno_name(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(code) => format!("{:?}", Errno::from_raw(code)),
        None => err.to_string(),
    }
}
