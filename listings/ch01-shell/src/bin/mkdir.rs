//! `mkdir`: create directories, with `-p` their parents too.

use std::env;
use std::fs;
use std::process::ExitCode;

use ch01_shell::{Tool, describe, quote};

fn main() -> ExitCode {
    let mut tool = Tool::new("mkdir", 1);
    let usage = "[-p] DIRECTORY...";
    let args = match tool.parse_args(env::args_os().skip(1), "p", usage) {
        Ok(args) => args,
        Err(code) => return code,
    };
    if args.operands.is_empty() {
        return tool.usage_error("missing operand");
    }
    // ANCHOR: create
    for dir in &args.operands {
        // mkdir(2) with mode 0777; the kernel takes away the umask bits.
        let created = if args.has('p') {
            // Every missing parent, and no error if `dir` is a directory.
            fs::create_dir_all(dir)
        } else {
            fs::create_dir(dir)
        };
        if let Err(err) = created {
            tool.error(format_args!(
                "cannot create directory {}: {}",
                quote(dir),
                describe(&err)
            ));
        }
    }
    // ANCHOR_END: create
    tool.exit_code()
}
