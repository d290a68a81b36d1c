//! `open_flags`: the bits of open(2)'s flags, as libc and nix's `OFlag`
//! define them, and as the kernel reports them for an open file.

use std::env;
use std::error::Error;

use nix::fcntl::{FcntlArg, OFlag, fcntl, open};
use nix::sys::stat::Mode;

fn main() -> Result<(), Box<dyn Error>> {
    // ANCHOR: table
    let flags = [
        ("O_RDONLY", OFlag::O_RDONLY),
        ("O_WRONLY", OFlag::O_WRONLY),
        ("O_RDWR", OFlag::O_RDWR),
        ("O_CREAT", OFlag::O_CREAT),
        ("O_EXCL", OFlag::O_EXCL),
        ("O_TRUNC", OFlag::O_TRUNC),
        ("O_APPEND", OFlag::O_APPEND),
        ("O_NONBLOCK", OFlag::O_NONBLOCK),
        ("O_CLOEXEC", OFlag::O_CLOEXEC),
    ];
    for (name, flag) in flags {
        let bits = flag.bits(); // the c_int from libc, e.g. libc::O_CREAT
        println!("{name:<10} {bits:>#10o} {bits:>#9x}");
    }
    // ANCHOR_END: table

    // ANCHOR: open
    // Python's open(path, "w"), with the O_CLOEXEC that Python adds too.
    let path = env::temp_dir().join(format!("open_flags.{}", std::process::id()));
    let how = OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_TRUNC;
    println!(
        "open(path, \"w\") is open(2) with {how:?} = {:#o}",
        how.bits()
    );
    let file = open(
        &path,
        how | OFlag::O_CLOEXEC,
        Mode::from_bits_truncate(0o644),
    )?;
    std::fs::remove_file(&path)?;

    // F_GETFL: the flags the kernel keeps for the open file.
    let kept = fcntl(&file, FcntlArg::F_GETFL)?;
    let kept_flags = OFlag::from_bits_retain(kept);
    println!("F_GETFL: {kept:#o} = {kept_flags:?}");
    let mode = kept & libc::O_ACCMODE; // the access mode is a 2-bit number
    println!("access mode: {kept:#o} & O_ACCMODE = {mode} (O_WRONLY)");
    // ANCHOR_END: open

    // ANCHOR: setfl
    // Read, modify, write: set one bit and leave the others alone.
    let with = kept_flags | OFlag::O_NONBLOCK;
    fcntl(&file, FcntlArg::F_SETFL(with))?;
    let now = fcntl(&file, FcntlArg::F_GETFL)?;
    println!("F_SETFL(flags | O_NONBLOCK):  {now:#o}");
    let without = OFlag::from_bits_retain(now) & !OFlag::O_NONBLOCK;
    fcntl(&file, FcntlArg::F_SETFL(without))?;
    let now = fcntl(&file, FcntlArg::F_GETFL)?;
    println!("F_SETFL(flags & !O_NONBLOCK): {now:#o}");
    // ANCHOR_END: setfl
    Ok(())
}
