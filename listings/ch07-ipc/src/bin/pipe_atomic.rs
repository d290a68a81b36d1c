//! `pipe_atomic`: four children write records of one letter each into one
//! pipe, at once. Records of PIPE_BUF bytes arrive whole; larger ones can
//! be torn apart by the other writers.

use std::io::{self, Read, Write};

use ch07_ipc::{fork_child, wait_child};
use nix::fcntl::{FcntlArg, fcntl};
use nix::unistd::{PathconfVar, fpathconf};

const WRITERS: u8 = 4;
const RECORDS: usize = 256;

// ANCHOR: writers
/// Starts the writers, reads everything, and counts the records that are
/// not all one letter.
fn torn_records(size: usize) -> io::Result<usize> {
    let (mut reader, writer) = io::pipe()?;
    let mut children = Vec::new();
    for id in 0..WRITERS {
        let record = vec![b'A' + id; size]; // "AAAA…", "BBBB…", …
        children.push(fork_child(|| {
            for _ in 0..RECORDS {
                // One write(2) per record: write_all loops only if the
                // kernel takes part of it.
                if (&writer).write_all(&record).is_err() {
                    return 1;
                }
            }
            0
        })?);
    }
    drop(writer);
    let mut all = Vec::new();
    reader.read_to_end(&mut all)?;
    for child in children {
        wait_child(child)?;
    }
    assert_eq!(all.len(), size * RECORDS * WRITERS as usize, "bytes lost");
    let mixed = |record: &[u8]| record.iter().any(|&byte| byte != record[0]);
    Ok(all.chunks(size).filter(|record| mixed(record)).count())
}
// ANCHOR_END: writers

fn main() -> io::Result<()> {
    // ANCHOR: main
    let (reader, _writer) = io::pipe()?;
    let pipe_buf = fpathconf(&reader, PathconfVar::PIPE_BUF)?.unwrap_or(512) as usize;
    let capacity = fcntl(&reader, FcntlArg::F_GETPIPE_SZ)?;
    println!("PIPE_BUF is {pipe_buf} bytes; this pipe holds {capacity} bytes");
    let total = RECORDS * WRITERS as usize;
    for size in [pipe_buf, 100_000] {
        let torn = torn_records(size)?;
        println!("{size:>6}-byte records: {torn:>4} of {total} torn");
    }
    // ANCHOR_END: main
    Ok(())
}
