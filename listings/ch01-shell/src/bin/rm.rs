//! `rm`: remove files, or with `-r` whole directories.

use std::env;
use std::fs;
use std::io;
use std::path::Path;
use std::process::ExitCode;

use ch01_shell::{Tool, describe, quote, remove_tree, rm_refusal};

fn main() -> ExitCode {
    let mut tool = Tool::new("rm", 1);
    let usage = "[-rf] FILE...";
    let args = match tool.parse_args(env::args_os().skip(1), "rRf", usage) {
        Ok(args) => args,
        Err(code) => return code,
    };
    let recursive = args.has('r') || args.has('R');
    let force = args.has('f'); // missing files are fine
    if args.operands.is_empty() && !force {
        return tool.usage_error("missing operand");
    }
    // ANCHOR: remove
    for operand in &args.operands {
        let path = Path::new(operand);
        if recursive && let Some(refusal) = rm_refusal(path) {
            tool.error(refusal);
            continue;
        }
        // unlink(2) removes a name. Given a directory, Linux fails with
        // EISDIR: that is where "Is a directory" comes from.
        let removed = if recursive {
            remove_tree(path)
        } else {
            fs::remove_file(path)
        };
        match removed {
            Ok(()) => {}
            Err(err) if force && err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => tool.error(format_args!(
                "cannot remove {}: {}",
                quote(path),
                describe(&err)
            )),
        }
    }
    // ANCHOR_END: remove
    tool.exit_code()
}
