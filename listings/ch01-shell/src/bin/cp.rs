//! `cp`: copy files, or with `-r` whole directories.

use std::env;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use ch01_shell::{Tool, copy_tree, describe, destinations, quote, same_file};

fn main() -> ExitCode {
    let mut tool = Tool::new("cp", 1);
    let usage = "[-r] SOURCE DEST\n  or:  cp [-r] SOURCE... DIRECTORY";
    let args = match tool.parse_args(env::args_os().skip(1), "rR", usage) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let recursive = args.has('r') || args.has('R');
    let pairs = match destinations(&mut tool, &args.operands) {
        Ok(pairs) => pairs,
        Err(code) => return code,
    };
    for (source, dest) in pairs {
        if let Err(message) = copy(&source, &dest, recursive) {
            tool.error(message);
        }
    }
    tool.exit_code()
}

// ANCHOR: copy
fn copy(source: &Path, dest: &Path, recursive: bool) -> Result<(), String> {
    let (from, to) = (quote(source), quote(dest));
    // Without -r, cp follows a symbolic link and copies what it points to;
    // with -r it copies the link itself.
    let stat = if recursive {
        fs::symlink_metadata
    } else {
        fs::metadata
    };
    let meta = match stat(source) {
        Ok(meta) => meta,
        Err(err) => return Err(format!("cannot stat {from}: {}", describe(&err))),
    };
    if meta.is_dir() && !recursive {
        return Err(format!("-r not specified; omitting directory {from}"));
    }
    if meta.is_dir() && inside(dest, source) {
        return Err(format!(
            "cannot copy a directory, {from}, into itself, {to}"
        ));
    }
    // fs::copy opens `dest` with O_TRUNC: copying a file onto itself would
    // empty it before reading a byte.
    let dest_meta = fs::metadata(dest);
    if dest_meta.is_ok_and(|dest_meta| same_file(&meta, &dest_meta)) {
        return Err(format!("{from} and {to} are the same file"));
    }
    if recursive {
        return copy_tree(source, dest)
            .map_err(|err| format!("cannot copy {from}: {}", describe(&err)));
    }
    match fs::copy(source, dest) {
        Ok(_bytes) => Ok(()),
        // The source was readable a moment ago, so blame the destination.
        Err(err) => {
            let why = describe(&err);
            Err(format!("cannot create regular file {to}: {why}"))
        }
    }
}
// ANCHOR_END: copy

/// Whether `dest` would land inside the directory `source` (`cp -r d d/sub`).
fn inside(dest: &Path, source: &Path) -> bool {
    let parent = dest
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty());
    match (
        fs::canonicalize(parent.unwrap_or(Path::new("."))),
        fs::canonicalize(source),
    ) {
        (Ok(parent), Ok(source)) => parent.starts_with(source),
        _ => false,
    }
}
