//! Listing: packing a record byte for byte like Python's struct "!i5sf".

use std::process::Command;

use harness::{check_output, run};

const PACK_RECORD: &str = env!("CARGO_BIN_EXE_pack_record");

/// The hex bytes after "packed:   " in the listing's output.
fn packed_hex(text: &str) -> String {
    let line = text
        .lines()
        .find_map(|line| line.strip_prefix("packed:   "))
        .unwrap_or_else(|| panic!("no packed line in:\n{text}"));
    line.split(" (").next().unwrap().to_owned()
}

fn ours(id: &str, name: &str, score: &str) -> String {
    let out = run(Command::new(PACK_RECORD).args([id, name, score]));
    out.assert_success();
    out.stdout_text()
}

/// Runs a Python 3 snippet with `args` as sys.argv[1:] and returns stdout.
fn python(script: &str, args: &[&str]) -> String {
    let out = run(Command::new("python3").arg("-c").arg(script).args(args));
    out.assert_success();
    out.stdout_text().trim_end().to_owned()
}

const PY_PACK: &str = "import struct, sys
id, name, score = int(sys.argv[1]), sys.argv[2].encode(), float(sys.argv[3])
print(struct.pack('!i5sf', id, name, score).hex(' '))";

#[test]
fn pack_record_output_matches_the_book() {
    check_output!("../output/pack_record.txt", &ours("7", "hello", "98.5"));
    check_output!("../output/pack_record_utf8.txt", &ours("1", "你好", "2.5"));
}

#[test]
fn packed_bytes_equal_pythons_struct_pack() {
    let records = [
        ["7", "hello", "98.5"],
        ["-2", "ab", "0.1"],
        ["0", "", "-1"],
        ["2147483647", "hello world", "3.25"],
        ["-2147483648", "é", "1e30"],
    ];
    for [id, name, score] in records {
        let rust = packed_hex(&ours(id, name, score));
        let py = python(PY_PACK, &[id, name, score]);
        assert_eq!(rust, py, "record ({id}, {name:?}, {score})");
    }
}

#[test]
fn python_unpacks_rust_bytes_to_the_same_values() {
    let hex = packed_hex(&ours("-2", "ab", "0.1"));
    let script = "import struct, sys
print(struct.unpack('!i5sf', bytes.fromhex(sys.argv[1])))";
    // The NUL padding stays in, and the f32 comes back as the nearest double.
    assert_eq!(
        python(script, &[&hex]),
        r"(-2, b'ab\x00\x00\x00', 0.10000000149011612)"
    );
}

#[test]
fn python_cuts_a_utf8_name_mid_character_where_rust_stops_at_a_boundary() {
    let rust = packed_hex(&ours("1", "你好", "2.5"));
    let py = python(PY_PACK, &["1", "你好", "2.5"]);
    // 你 = e4 bd a0, 好 = e5 a5 bd: Python keeps two bytes of 好.
    assert_eq!(py, "00 00 00 01 e4 bd a0 e5 a5 40 20 00 00");
    assert_eq!(rust, "00 00 00 01 e4 bd a0 00 00 40 20 00 00");
    // Python cannot decode its own field; it decodes ours.
    let decode = "import struct, sys
name = struct.unpack('!i5sf', bytes.fromhex(sys.argv[1]))[1]
try:
    print(name.rstrip(b'\\0').decode())
except UnicodeDecodeError as err:
    print('UnicodeDecodeError:', err.reason)";
    assert_eq!(
        python(decode, &[&py]),
        "UnicodeDecodeError: unexpected end of data"
    );
    assert_eq!(python(decode, &[&rust]), "你");
}

#[test]
fn the_bang_format_has_no_padding_and_native_formats_do() {
    let script = "import struct
print(struct.calcsize('!i5sf'), struct.calcsize('i5sf'), struct.calcsize('isf'))";
    // Native alignment pads the float to a 4-byte boundary; a bare `s` is
    // a single byte.
    assert_eq!(python(script, &[]), "13 16 12");
}

#[test]
fn pack_record_reports_bad_arguments_like_a_tool() {
    let out = run(Command::new(PACK_RECORD).args(["x", "a", "1"]));
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        "pack_record: id \"x\": invalid digit found in string\n"
    );
    let out = run(Command::new(PACK_RECORD).args(["2147483648", "a", "1"]));
    assert_eq!(out.code(), Some(1));
    assert_eq!(
        out.stderr_text(),
        "pack_record: id \"2147483648\": number too large to fit in target type\n"
    );
    let out = run(&mut Command::new(PACK_RECORD));
    assert_eq!(out.code(), Some(2));
    assert_eq!(
        out.stderr_text(),
        "usage: pack_record <id> <name> <score>\n"
    );
}
