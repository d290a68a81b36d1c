//! `touch`: create empty files, or set existing files' times to now.

use std::env;
use std::fs::{File, FileTimes, OpenOptions};
use std::io;
use std::io::ErrorKind::{IsADirectory, PermissionDenied};
use std::path::Path;
use std::process::ExitCode;
use std::time::SystemTime;

use ch01_shell::{Tool, describe, quote};

fn main() -> ExitCode {
    let mut tool = Tool::new("touch", 1);
    let usage = "FILE...";
    let args = match tool.parse_args(env::args_os().skip(1), "", usage) {
        Ok(args) => args,
        Err(code) => return code,
    };
    if args.operands.is_empty() {
        return tool.usage_error("missing file operand");
    }
    for name in &args.operands {
        if let Err(err) = touch(Path::new(name)) {
            tool.error(format_args!(
                "cannot touch {}: {}",
                quote(name),
                describe(&err)
            ));
        }
    }
    tool.exit_code()
}

// ANCHOR: touch
fn touch(path: &Path) -> io::Result<()> {
    // open(2) with O_WRONLY | O_CREAT and mode 0666 (less the umask), and
    // without O_TRUNC: a new file is empty, an existing one keeps its bytes.
    let opened = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path);
    let file = match opened {
        Ok(file) => file,
        // A directory or a read-only file cannot be opened for writing, but
        // a read-only descriptor is enough to set the times. If even that
        // fails, report the first error, as coreutils does.
        Err(err) if matches!(err.kind(), IsADirectory | PermissionDenied) => {
            File::open(path).map_err(|_| err)?
        }
        Err(err) => return Err(err),
    };
    // futimens(3): both times, set on the open file. These are explicit
    // times, not "now", so only the file's owner may set them.
    let now = SystemTime::now();
    file.set_times(FileTimes::new().set_accessed(now).set_modified(now))
}
// ANCHOR_END: touch
