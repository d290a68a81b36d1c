//! `mq_tool send|receive|stat|unlink NAME [MESSAGE…]`: one POSIX message
//! queue, used by separate runs of this program. The queue outlives each
//! of them, until `unlink`.

use std::env;
use std::io;
use std::process::ExitCode;

use nix::errno::Errno;
use nix::mqueue::{
    MQ_OFlag, MqAttr, MqdT, mq_close, mq_getattr, mq_open, mq_receive, mq_send, mq_unlink,
};
use nix::sys::stat::Mode;

// ANCHOR: open
/// Opens the queue `name` without blocking. With `create`, a missing queue
/// is created, for 8 messages of up to 128 bytes.
fn open(name: &str, create: bool) -> nix::Result<MqdT> {
    let flags = MQ_OFlag::O_RDWR | MQ_OFlag::O_NONBLOCK;
    if !create {
        return mq_open(name, flags, Mode::empty(), None);
    }
    // Always pass attributes with O_CREAT: nix 0.32 then leaves out the
    // mode and attribute arguments, and mq_open(3) reads garbage instead.
    let attr = MqAttr::new(0, 8, 128, 0);
    let mode = Mode::S_IRUSR | Mode::S_IWUSR;
    mq_open(name, flags | MQ_OFlag::O_CREAT, mode, Some(&attr))
}
// ANCHOR_END: open

// ANCHOR: commands
fn run(command: &str, name: &str, messages: &[String]) -> nix::Result<()> {
    match command {
        "send" => {
            let queue = open(name, true)?;
            for message in messages {
                mq_send(&queue, message.as_bytes(), 0)?; // EAGAIN when full
                println!("sent {message:?}");
            }
            mq_close(queue)?;
        }
        "receive" => {
            let queue = open(name, false)?;
            let mut buf = vec![0u8; mq_getattr(&queue)?.msgsize() as usize];
            loop {
                match mq_receive(&queue, &mut buf, &mut 0) {
                    Ok(n) => {
                        let text = String::from_utf8_lossy(&buf[..n]);
                        println!("received {text:?}");
                    }
                    Err(Errno::EAGAIN) => break, // empty: nothing more, now
                    Err(errno) => return Err(errno),
                }
            }
            mq_close(queue)?;
        }
        "stat" => {
            let queue = open(name, false)?;
            let attr = mq_getattr(&queue)?;
            println!(
                "{name}: {} of {} messages, at most {} bytes each",
                attr.curmsgs(),
                attr.maxmsg(),
                attr.msgsize()
            );
            mq_close(queue)?;
        }
        "unlink" => mq_unlink(name)?,
        _ => return Err(Errno::EINVAL),
    }
    Ok(())
}
// ANCHOR_END: commands

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let [command, name, messages @ ..] = args.as_slice() else {
        eprintln!("usage: mq_tool send|receive|stat|unlink NAME [MESSAGE...]");
        return ExitCode::from(2);
    };
    match run(command, name, messages) {
        Ok(()) => ExitCode::SUCCESS,
        Err(errno) => {
            eprintln!("mq_tool: {command} {name}: {}", io::Error::from(errno));
            ExitCode::FAILURE
        }
    }
}
