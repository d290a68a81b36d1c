//! `length_prefixed`: messages framed by a 4-byte big-endian length, read
//! back one by one, and a frame that announces too much.

use std::io::{self, BufReader, Write};

use ch04_sockets::{loopback_pair, read_frame, write_frame};

/// The longest frame this reader accepts.
const MAX_FRAME: usize = 64 * 1024;

fn hex(bytes: &[u8]) -> String {
    let pairs: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    pairs.join(" ")
}

fn main() -> io::Result<()> {
    // ANCHOR: main
    let (mut writer, reader) = loopback_pair()?;
    let mut on_the_wire = Vec::new();
    write_frame(&mut on_the_wire, b"first")?;
    println!("the frame for \"first\": {}", hex(&on_the_wire));

    for message in ["first", "second", ""] {
        write_frame(&mut writer, message.as_bytes())?;
    }
    // A broken or hostile peer: a header that announces 4 GiB - 1 bytes.
    writer.write_all(&u32::MAX.to_be_bytes())?;
    drop(writer);

    let mut reader = BufReader::new(reader);
    loop {
        match read_frame(&mut reader, MAX_FRAME) {
            Ok(Some(message)) => {
                let text = String::from_utf8_lossy(&message);
                println!("message: {text:?}")
            }
            Ok(None) => break println!("end of stream"),
            Err(err) => break println!("error: {err}"),
        }
    }
    // ANCHOR_END: main
    Ok(())
}
