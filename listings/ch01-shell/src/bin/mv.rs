//! `mv`: move (rename) files and directories, across file systems too.

use std::env;
use std::fs;
use std::io;
use std::path::Path;
use std::process::ExitCode;

use ch01_shell::{Moved, Tool, describe, destinations, move_path, quote, same_file};

fn main() -> ExitCode {
    let mut tool = Tool::new("mv", 1);
    let usage = "[-v] SOURCE DEST\n  or:  mv [-v] SOURCE... DIRECTORY";
    let args = match tool.parse_args(env::args_os().skip(1), "v", usage) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let pairs = match destinations(&mut tool, &args.operands) {
        Ok(pairs) => pairs,
        Err(code) => return code,
    };
    for (source, dest) in pairs {
        match move_one(&source, &dest) {
            Ok(how) if args.has('v') => report(how, &source, &dest),
            Ok(_) => {}
            Err(message) => tool.error(message),
        }
    }
    tool.exit_code()
}

// ANCHOR: move_one
fn move_one(source: &Path, dest: &Path) -> Result<Moved, String> {
    let (from, to) = (quote(source), quote(dest));
    // mv moves a symbolic link, not what it points to: lstat, not stat.
    let meta = fs::symlink_metadata(source)
        .map_err(|err| format!("cannot stat {from}: {}", describe(&err)))?;
    let dest_meta = fs::symlink_metadata(dest);
    if dest_meta.is_ok_and(|dest_meta| same_file(&meta, &dest_meta)) {
        return Err(format!("{from} and {to} are the same file"));
    }
    move_path(source, dest).map_err(|err| match err.kind() {
        // rename(2) refuses to make a directory a subdirectory of itself.
        io::ErrorKind::InvalidInput => {
            format!("cannot move {from} to a subdirectory of itself, {to}")
        }
        _ => format!("cannot move {from} to {to}: {}", describe(&err)),
    })
}
// ANCHOR_END: move_one

/// What `mv -v` prints: one line for a rename, two for copy-and-remove.
fn report(how: Moved, source: &Path, dest: &Path) {
    match how {
        Moved::Renamed => println!("renamed {} -> {}", quote(source), quote(dest)),
        Moved::Copied => {
            println!("copied {} -> {}", quote(source), quote(dest));
            println!("removed {}", quote(source));
        }
    }
}
