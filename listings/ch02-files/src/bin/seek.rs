//! Moves the file offset with `seek` and watches reads and writes move it.

use std::env;
use std::fs::{self, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use ch02_files::errno_name;

// ANCHOR: shared
fn main() -> io::Result<()> {
    let dir = match env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => env::temp_dir().join("ch02-seek"),
    };
    fs::create_dir_all(&dir)?;
    let path = dir.join("offset.txt");

    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)?;
    file.write_all(b"hello, world")?;
    show("write \"hello, world\"", file.stream_position()?);

    file.seek(SeekFrom::Start(0))?;
    let mut word = [0; 5];
    file.read_exact(&mut word)?;
    show("seek(Start(0)), read 5 bytes", file.stream_position()?);

    file.write_all(b"!!")?; // lands where the read stopped: one offset
    show("write \"!!\"", file.stream_position()?);

    let offset = file.seek(SeekFrom::End(-5))?; // seek returns the new offset
    file.write_all(b"WORLD")?;
    let label = format!("seek(End(-5)) = {offset}, write \"WORLD\"");
    show(&label, file.stream_position()?);

    file.rewind()?; // seek(SeekFrom::Start(0))
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    show(&format!("rewind, read {text:?}"), file.stream_position()?);

    let past_end = file.seek(SeekFrom::End(3))?;
    show("seek(End(3)): past the end is fine", past_end);
    match file.seek(SeekFrom::Current(-100)) {
        Ok(offset) => show("seek(Current(-100))", offset),
        Err(err) => println!("seek(Current(-100)): {}", errno_name(&err)),
    }
    // ANCHOR_END: shared

    // ANCHOR: append
    let mut log = OpenOptions::new().append(true).open(&path)?;
    log.seek(SeekFrom::Start(0))?;
    log.write_all(b"!")?; // O_APPEND: the kernel moves to the end first
    let position = log.stream_position()?;
    show("append mode: seek(Start(0)), write \"!\"", position);
    println!("the file holds {:?}", fs::read_to_string(&path)?);
    Ok(())
}
// ANCHOR_END: append

fn show(what: &str, offset: u64) {
    println!("{what:<42} -> offset {offset}");
}
