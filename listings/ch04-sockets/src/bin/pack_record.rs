//! `pack_record <id> <name> <score>`: packs a record into the 13 bytes that
//! Python's `struct.pack("!i5sf", id, name, score)` produces, and unpacks
//! it again.

use std::env;
use std::error::Error;
use std::process::ExitCode;
use std::str::{self, Utf8Error};

// ANCHOR: layout
/// `!i5sf`: network byte order (big-endian), no padding between fields.
const NAME_LEN: usize = 5; // `5s`: five bytes, NUL-padded
const RECORD_LEN: usize = 4 + NAME_LEN + 4; // `i` + `5s` + `f` = 13

#[derive(Debug, PartialEq)]
struct Record {
    id: i32,      // `i`: 4-byte signed integer
    name: String, // `5s`: at most 5 bytes of UTF-8
    score: f32,   // `f`: 4-byte IEEE 754 float
}
// ANCHOR_END: layout

// ANCHOR: truncate
/// The longest prefix of `text` that fits in `max` bytes without cutting a
/// character in two. Since Rust 1.91, `&text[..text.floor_char_boundary(max)]`
/// does the same; the loop shows how.
fn truncate_at_char_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    // A UTF-8 character is at most 4 bytes: this steps back at most 3 times.
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
// ANCHOR_END: truncate

// ANCHOR: pack
fn pack(record: &Record) -> [u8; RECORD_LEN] {
    let mut bytes = [0u8; RECORD_LEN]; // zeroed: the NUL padding is free
    bytes[0..4].copy_from_slice(&record.id.to_be_bytes());
    let name = truncate_at_char_boundary(&record.name, NAME_LEN);
    bytes[4..4 + name.len()].copy_from_slice(name.as_bytes());
    bytes[9..13].copy_from_slice(&record.score.to_be_bytes());
    bytes
}
// ANCHOR_END: pack

// ANCHOR: unpack
/// `N` bytes of `bytes` from `at` on, as an array for `from_be_bytes`.
fn field<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    let mut array = [0u8; N];
    array.copy_from_slice(&bytes[at..at + N]);
    array
}

fn unpack(bytes: &[u8; RECORD_LEN]) -> Result<Record, Utf8Error> {
    let name: [u8; NAME_LEN] = field(bytes, 4);
    // Python's unpack keeps the padding (b'ab\x00\x00\x00'); strip it.
    let used = name
        .iter()
        .rposition(|&b| b != 0)
        .map_or(0, |last| last + 1);
    Ok(Record {
        id: i32::from_be_bytes(field(bytes, 0)),
        name: str::from_utf8(&name[..used])?.to_owned(),
        score: f32::from_be_bytes(field(bytes, 9)),
    })
}
// ANCHOR_END: unpack

fn hex(bytes: &[u8]) -> String {
    let pairs: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    pairs.join(" ")
}

// ANCHOR: run
fn run(id: &str, name: &str, score: &str) -> Result<(), Box<dyn Error>> {
    let record = Record {
        id: id.parse().map_err(|err| format!("id {id:?}: {err}"))?,
        name: name.to_owned(),
        score: score
            .parse()
            .map_err(|err| format!("score {score:?}: {err}"))?,
    };
    println!("record:   {record:?}");
    let kept = truncate_at_char_boundary(name, NAME_LEN);
    if kept != name {
        println!("note:     {name:?} is {} bytes; kept {kept:?}", name.len());
    }
    let bytes = pack(&record);
    println!("packed:   {} ({} bytes)", hex(&bytes), bytes.len());
    println!("unpacked: {:?}", unpack(&bytes)?);
    Ok(())
}
// ANCHOR_END: run

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let [id, name, score] = args.as_slice() else {
        eprintln!("usage: pack_record <id> <name> <score>");
        return ExitCode::from(2);
    };
    match run(id, name, score) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("pack_record: {err}");
            ExitCode::FAILURE
        }
    }
}
