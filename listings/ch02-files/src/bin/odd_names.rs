// ANCHOR: all
//! Creates two files named "café.txt", one in UTF-8 and one in Latin-1, and
//! lists the directory without assuming that names are UTF-8.

use std::env;
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

fn main() -> io::Result<()> {
    // The directory to work in: the first argument, or one under /tmp.
    let dir = match env::args_os().nth(1) {
        Some(dir) => PathBuf::from(dir),
        None => env::temp_dir().join("ch02-odd-names"),
    };
    fs::create_dir_all(&dir)?;

    // é is two bytes in UTF-8 (C3 A9) and one byte in Latin-1 (E9).
    let utf8_name = OsStr::new("café.txt");
    let latin1_name = OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(dir.join(utf8_name), "")?;
    fs::write(dir.join(latin1_name), "")?;

    let mut names = Vec::new();
    for entry in fs::read_dir(&dir)? {
        names.push(entry?.file_name()); // an OsString: bytes, not text
    }
    names.sort();
    for name in &names {
        println!("{name:?}");
        println!("  bytes:  {}", hex(name.as_bytes()));
        match name.to_str() {
            Some(text) => println!("  to_str: Some({text:?})"),
            None => println!("  to_str: None"),
        }
        println!("  lossy:  {}", name.to_string_lossy());
    }
    Ok(())
}

/// `63 61 66`: each byte as two hex digits.
fn hex(bytes: &[u8]) -> String {
    let pairs: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    pairs.join(" ")
}
// ANCHOR_END: all
