//! Exercise 4.2: Python's `struct` module
//! Edit: exercises/ch04-sockets/src/pack.rs
//! Hint: Parse the format into (code, count) fields first; `calcsize`, `pack` and `unpack` all walk that list. `i128` holds every integer code's range, `to_le_bytes()[..width]` cuts it to size, and reversing a field's bytes makes it big-endian. `5s` is one value of five bytes; `5h` is five values.

use std::fmt::Write as _;
use std::process::Command;

use harness::run_with;

#[cfg(not(feature = "reference"))]
use ex04_sockets::pack::{PackError, Value, calcsize, pack, unpack};
#[cfg(feature = "reference")]
use ex04_sockets::pack_reference::{PackError, Value, calcsize, pack, unpack};

/// Formats and values that Python's `struct.pack` accepts.
fn good_cases() -> Vec<(&'static str, Vec<Value>)> {
    use Value::{Bool, Bytes, Float, Int};
    vec![
        ("!i5sf", vec![Int(7), Bytes(b"alice".to_vec()), Float(98.5)]),
        ("<i5sf", vec![Int(-7), Bytes(b"bob".to_vec()), Float(-0.25)]),
        (">5s", vec![Bytes(b"truncated".to_vec())]),
        ("<0s", vec![Bytes(b"gone".to_vec())]),
        ("!bB", vec![Int(-128), Int(255)]),
        ("<hH", vec![Int(-32768), Int(65535)]),
        (">iI", vec![Int(i32::MIN.into()), Int(u32::MAX.into())]),
        ("<lL", vec![Int(-1), Int(1)]),
        ("!qQ", vec![Int(i64::MIN.into()), Int(u64::MAX.into())]),
        ("=q", vec![Int(0x0102_0304_0506_0708)]),
        ("<3h", vec![Int(1), Int(-2), Int(3)]),
        ("> 2h x ?", vec![Int(1), Int(-2), Bool(true)]),
        ("<2x?c", vec![Bool(false), Bytes(b"z".to_vec())]),
        ("!fd", vec![Float(0.1), Float(0.1)]),
        ("<f", vec![Float(1e-50)]),
        ("<f", vec![Float(3.4028235e38)]),
        ("<d", vec![Float(f64::MAX)]),
        ("<d", vec![Float(-0.0)]),
        ("!f", vec![Int(3)]),
        ("<10s", vec![Bytes("汉字".as_bytes().to_vec())]),
        ("!H2sQ", vec![Int(80), Bytes(b"ok".to_vec()), Int(1 << 40)]),
    ]
}

/// Formats and values that Python refuses, with the error we expect.
fn bad_cases() -> Vec<(&'static str, Vec<Value>, PackError)> {
    use Value::{Bytes, Float, Int};
    vec![
        ("<b", vec![Int(128)], PackError::OutOfRange { index: 0 }),
        ("<B", vec![Int(-1)], PackError::OutOfRange { index: 0 }),
        (
            "!hH",
            vec![Int(0), Int(65536)],
            PackError::OutOfRange { index: 1 },
        ),
        ("<q", vec![Int(1 << 63)], PackError::OutOfRange { index: 0 }),
        ("<f", vec![Float(1e40)], PackError::OutOfRange { index: 0 }),
        ("<i", vec![Float(1.0)], PackError::WrongType { index: 0 }),
        ("<2s", vec![Int(1)], PackError::WrongType { index: 0 }),
        (
            "<c",
            vec![Bytes(b"ab".to_vec())],
            PackError::WrongType { index: 0 },
        ),
        (
            "<ii",
            vec![Int(1)],
            PackError::WrongCount {
                expected: 2,
                got: 1,
            },
        ),
        (
            "<5s",
            vec![Bytes(vec![]), Bytes(vec![])],
            PackError::WrongCount {
                expected: 1,
                got: 2,
            },
        ),
    ]
}

/// A Python expression for `value`.
fn python_value(value: &Value) -> String {
    match value {
        Value::Int(n) => n.to_string(),
        // Bit-exact: Python reads the same double back.
        Value::Float(x) => format!(
            "struct.unpack('>d', bytes.fromhex('{:016x}'))[0]",
            x.to_bits()
        ),
        Value::Bytes(bytes) => format!("bytes.fromhex('{}')", hex(bytes)),
        Value::Bool(flag) => if *flag { "True" } else { "False" }.to_owned(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

/// Runs `script` in python3 and returns its output lines, or `None` (with a
/// note) when python3 is not installed.
fn python(script: &str) -> Option<Vec<String>> {
    let mut cmd = Command::new("python3");
    cmd.args(["-c", script]);
    if Command::new("python3").arg("-V").output().is_err() {
        eprintln!("note: python3 is not installed; skipping the comparison with Python");
        return None;
    }
    let out = run_with(&mut cmd, b"", harness::DEADLINE);
    out.assert_success();
    Some(out.stdout_text().lines().map(str::to_owned).collect())
}

/// How Python prints an unpacked value in `render` below.
fn render(value: &Value) -> String {
    match value {
        Value::Int(n) => format!("i:{n}"),
        Value::Float(x) => format!("f:{:016x}", x.to_bits()),
        Value::Bytes(bytes) => format!("b:{}", hex(bytes)),
        Value::Bool(flag) => format!("?:{}", if *flag { "True" } else { "False" }),
    }
}

const RENDER: &str = r#"
import struct
def render(v):
    if isinstance(v, bool): return '?:' + str(v)
    if isinstance(v, int): return 'i:' + str(v)
    if isinstance(v, float): return 'f:' + struct.pack('>d', v).hex()
    return 'b:' + v.hex()
"#;

#[test]
fn pack_agrees_with_python_byte_for_byte() {
    let cases = good_cases();
    let mut script = String::from(RENDER);
    for (format, values) in &cases {
        let args: Vec<String> = values.iter().map(python_value).collect();
        let _ = writeln!(
            script,
            "print(struct.pack({format:?}, {}).hex())",
            args.join(", ")
        );
    }
    let python = python(&script);
    for (i, (format, values)) in cases.iter().enumerate() {
        let ours = pack(format, values).map(|bytes| hex(&bytes));
        match python.as_ref().map(|lines| lines[i].clone()) {
            Some(expected) => assert_eq!(
                ours,
                Ok(expected),
                "pack({format:?}, {values:?}) differs from Python's"
            ),
            None => assert!(ours.is_ok(), "pack({format:?}, {values:?}) = {ours:?}"),
        }
    }
}

#[test]
fn packs_the_record_of_listing_4_19_to_the_same_bytes() {
    // Listing 4-19 packs `!i5sf` as 4 + 5 + 4 bytes, no padding; its output
    // shows these 13 bytes.
    let bytes = pack(
        "!i5sf",
        &[
            Value::Int(7),
            Value::Bytes(b"hello".to_vec()),
            Value::Float(98.5),
        ],
    )
    .unwrap();
    assert_eq!(hex(&bytes), "0000000768656c6c6f42c50000");
}

#[test]
fn calcsize_agrees_with_python() {
    let formats = [
        "!i5sf", "<3h", "> 2h x ?", "<0s", "!qQ", "<2x?c", "<10s", "=d",
    ];
    let mut script = String::from("import struct\n");
    for format in formats {
        let _ = writeln!(script, "print(struct.calcsize({format:?}))");
    }
    let python = python(&script);
    for (i, format) in formats.iter().enumerate() {
        let ours = calcsize(format);
        if let Some(lines) = &python {
            assert_eq!(ours, Ok(lines[i].parse().unwrap()), "calcsize({format:?})");
        }
    }
    assert_eq!(calcsize("!i5sf"), Ok(13));
}

#[test]
fn unpack_agrees_with_python_and_round_trips() {
    let cases = good_cases();
    let mut script = String::from(RENDER);
    let mut packed = Vec::new();
    for (format, values) in &cases {
        let bytes = pack(format, values).unwrap();
        let _ = writeln!(
            script,
            "print(' '.join(render(v) for v in struct.unpack({format:?}, bytes.fromhex('{}'))))",
            hex(&bytes)
        );
        packed.push(bytes);
    }
    let python = python(&script);
    for (i, (format, _)) in cases.iter().enumerate() {
        let ours = unpack(format, &packed[i]).unwrap();
        let shown: Vec<String> = ours.iter().map(render).collect();
        if let Some(lines) = &python {
            assert_eq!(
                shown.join(" "),
                lines[i],
                "unpack({format:?}, {:?})",
                packed[i]
            );
        }
        // Packing what was unpacked gives the same bytes back.
        assert_eq!(
            pack(format, &ours).unwrap(),
            packed[i],
            "round trip of {format:?}"
        );
    }
}

#[test]
fn refuses_what_python_refuses() {
    let cases = bad_cases();
    let mut script = String::from("import struct\n");
    for (format, values, _) in &cases {
        let args: Vec<String> = values.iter().map(python_value).collect();
        let _ = writeln!(
            script,
            "try:\n    struct.pack({format:?}, {})\n    print('accepted')\n\
             except (struct.error, OverflowError) as err:\n    print('refused')",
            args.join(", ")
        );
    }
    if let Some(lines) = python(&script) {
        assert!(
            lines.iter().all(|line| line == "refused"),
            "Python refuses all: {lines:?}"
        );
    }
    for (format, values, expected) in cases {
        assert_eq!(
            pack(format, &values),
            Err(expected),
            "pack({format:?}, {values:?})"
        );
    }
}

#[test]
fn refuses_bad_formats_and_wrong_lengths() {
    for format in ["i", "@i", "<e", "<5 s", "<z", "<3"] {
        assert!(
            matches!(calcsize(format), Err(PackError::BadFormat(_))),
            "calcsize({format:?}) should be BadFormat"
        );
        assert!(
            matches!(pack(format, &[]), Err(PackError::BadFormat(_))),
            "pack({format:?})"
        );
    }
    assert_eq!(
        unpack("!i", b"abc"),
        Err(PackError::WrongLength {
            expected: 4,
            got: 3
        })
    );
    assert_eq!(
        unpack("!i", b"abcde"),
        Err(PackError::WrongLength {
            expected: 4,
            got: 5
        })
    );
}
