//! std::process::Command: start a program with arguments and environment,
//! wait for it, capture its output, and read its exit status.

use std::error::Error;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

// ANCHOR: main
fn main() -> Result<(), Box<dyn Error>> {
    // spawn: start it and go on; it shares our stdout.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(r#"echo "$GREETING, $1 (pid $$)"; exit 3"#)
        .arg("sh") // $0
        .arg("world") // $1: each argument is one argv entry, no quoting
        .env("GREETING", "hello") // added to the environment we pass on
        .spawn()?;
    let pid = child.id();
    let status = child.wait()?; // block until it exits, and reap it
    println!("child {pid} ended: {status}; code() = {:?}", status.code());

    // output: pipes for stdout and stderr, wait, and collect everything.
    let output = Command::new("sh")
        .args(["-c", "echo to stdout; echo to stderr >&2; kill -TERM $$"])
        .env_clear() // an empty environment
        .stdin(Stdio::null())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("stdout {stdout:?}, stderr {stderr:?}");
    println!(
        "status: {}; code() = {:?}, signal() = {:?}",
        output.status,
        output.status.code(),
        output.status.signal() // from ExitStatusExt: Unix only
    );

    // A program that cannot be started is an Err from spawn, not a status.
    match Command::new("no-such-program").status() {
        Ok(status) => println!("no-such-program: {status}"),
        Err(err) => println!("no-such-program: {err} ({:?})", err.kind()),
    }
    Ok(())
}
// ANCHOR_END: main
