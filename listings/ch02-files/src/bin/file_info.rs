// ANCHOR: all
//! Asks the questions of Python's os.path about each path on the command
//! line: does it exist, is it a file or a directory, how big is it.

use std::env;
use std::path::Path;

use ch02_files::errno_name;

fn main() {
    println!(
        "{:<16} {:<8} {:<14} {:<8} {:<7} len()",
        "path", "exists", "try_exists", "is_file", "is_dir"
    );
    for arg in env::args_os().skip(1) {
        let path = Path::new(&arg);
        let try_exists = match path.try_exists() {
            Ok(answer) => format!("Ok({answer})"),
            Err(err) => format!("Err({})", errno_name(&err)),
        };
        let len = match path.metadata() {
            Ok(meta) if meta.is_file() => meta.len().to_string(),
            Ok(_) => "-".to_owned(), // not a file: its len() means little
            Err(err) => errno_name(&err),
        };
        println!(
            "{:<16} {:<8} {:<14} {:<8} {:<7} {len}",
            path.display(),
            path.exists(),
            try_exists,
            path.is_file(),
            path.is_dir(),
        );
    }
}
// ANCHOR_END: all
