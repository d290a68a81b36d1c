// ANCHOR: all
//! `cd`: change the current directory, which only changes this process's.

use std::env;
use std::io;
use std::process::{Command, ExitCode};

use ch01_shell::describe;

fn main() -> io::Result<ExitCode> {
    let mut args = env::args_os().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: cd DIRECTORY [COMMAND [ARG]...]");
        return Ok(ExitCode::from(2));
    };
    println!("cd: was in {}", env::current_dir()?.display());
    // chdir(2): the kernel changes the cwd of the calling process, no other.
    if let Err(err) = env::set_current_dir(&dir) {
        eprintln!("cd: {}: {}", dir.display(), describe(&err));
        return Ok(ExitCode::FAILURE);
    }
    println!("cd: now in {}", env::current_dir()?.display());
    // The new directory is passed on only to the processes we start.
    if let Some(program) = args.next() {
        let status = Command::new(program).args(args).status()?;
        return Ok(ExitCode::from(status.code().unwrap_or(1) as u8));
    }
    Ok(ExitCode::SUCCESS)
}
// ANCHOR_END: all
