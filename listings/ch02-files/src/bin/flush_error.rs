// ANCHOR: all
//! Writes into a `BufWriter` over /dev/full, a device where every write(2)
//! fails with ENOSPC, to show when a write error reaches your program.

use std::fs::OpenOptions;
use std::io::{self, BufWriter, Write};

fn main() -> io::Result<()> {
    let full = OpenOptions::new().write(true).open("/dev/full")?;
    let mut out = BufWriter::new(full);
    let result = out.write(b"hello, world\n");
    println!("write into the BufWriter: {result:?}"); // only copied into memory
    match out.flush() {
        Ok(()) => println!("flush: Ok"),
        Err(err) => println!("flush: {err}"), // now write(2) runs, and fails
    }

    // into_inner flushes too, and hands back the error with the writer.
    match out.into_inner() {
        Ok(_) => println!("into_inner: Ok"),
        Err(err) => println!("into_inner: {}", err.error()),
    }

    let mut out = BufWriter::new(OpenOptions::new().write(true).open("/dev/full")?);
    writeln!(out, "these bytes will be lost")?;
    drop(out); // flushes, fails, and throws the error away
    println!("drop: no error reported; the bytes are gone");

    let mut full = OpenOptions::new().write(true).open("/dev/full")?;
    println!(
        "write on the File itself: {:?}",
        full.write(b"x").map_err(|e| e.kind())
    );
    // close(2) can fail too (NFS reports delayed write errors there); nix's
    // close returns its result, where dropping a File would discard it.
    println!("close: {:?}", nix::unistd::close(full));
    Ok(())
}
// ANCHOR_END: all
