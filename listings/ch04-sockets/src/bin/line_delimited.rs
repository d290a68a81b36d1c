//! `line_delimited`: messages separated by '\n', read back one by one, with
//! a line over the limit and a message the writer refuses.

use std::io::{self, BufReader, Write};

use ch04_sockets::{loopback_pair, read_line, write_line};

/// The longest line this reader accepts.
const MAX_LINE: usize = 16;

fn main() -> io::Result<()> {
    // ANCHOR: main
    let (mut writer, reader) = loopback_pair()?;
    for message in ["first", "second", ""] {
        write_line(&mut writer, message.as_bytes())?;
    }
    // A '\n' inside a message would split it in two: write_line refuses.
    if let Err(err) = write_line(&mut writer, b"two\nlines") {
        println!("write_line refused \"two\\nlines\": {err}");
    }
    // A peer that sends more than the reader will buffer.
    writer.write_all(&[b'x'; 100])?;
    drop(writer);

    let mut reader = BufReader::new(reader);
    loop {
        match read_line(&mut reader, MAX_LINE) {
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
