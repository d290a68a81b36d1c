//! The chapter's claims about Python, checked against the real `python3`.

use std::process::Command;

use harness::{Output, run};

fn python(code: &str, args: &[&str]) -> Output {
    let out = run(Command::new("python3").arg("-c").arg(code).args(args));
    assert!(
        out.status.success(),
        "python3 failed ({}):\n{}",
        out.status,
        out.stderr_text()
    );
    out
}

/// The Python twin of the `probe` in open_modes.rs: one line per mode,
/// `mode|missing|existing|read|write|after`, with "error" for a refused
/// read or write (Python raises io.UnsupportedOperation itself; the kernel
/// never sees the call).
const PROBE: &str = r#"
import errno, io, os, sys
path = sys.argv[1]
for mode in sys.argv[2:]:
    if os.path.exists(path):
        os.remove(path)
    try:
        open(path, mode).close()
        missing = "created"
    except OSError as e:
        missing = errno.errorcode[e.errno]
    with open(path, "wb") as f:
        f.write(b"0123456789")
    try:
        f = open(path, mode)
    except OSError as e:
        print(mode.replace("b", ""), missing, errno.errorcode[e.errno], sep="|")
        continue
    existing = "kept" if os.path.getsize(path) else "truncated"
    try:
        data = f.read(4)
        read = repr(data if isinstance(data, str) else data.decode()).replace("'", '"')
    except io.UnsupportedOperation:
        read = "error"
    try:
        f.write(b"ab" if "b" in mode else "ab")
        write = "ok"
    except io.UnsupportedOperation:
        write = "error"
    f.close()
    with open(path, "rb") as f:
        after = '"' + f.read().decode() + '"'
    print(mode.replace("b", ""), missing, existing, read, write, after, sep="|")
"#;

/// The Rust table (open_modes' output) in the same `a|b|c` form.
fn rust_rows(dir: &std::path::Path) -> Vec<String> {
    let out = run(Command::new(env!("CARGO_BIN_EXE_open_modes")).arg(dir));
    out.assert_success();
    let text = out.stdout_text();
    let mut rows = Vec::new();
    for line in text
        .lines()
        .skip(1)
        .filter(|line| !line.starts_with("open(2)"))
    {
        // Fixed-width columns: mode 6, missing 10, existing 11, read 9, write 10.
        let mut fields = Vec::new();
        let mut rest = line;
        for width in [6, 10, 11, 9, 10] {
            let (field, tail) = rest.split_at(width.min(rest.len()));
            fields.push(field.trim().to_owned());
            rest = tail;
        }
        fields.push(rest.to_owned());
        fields.retain(|field| !field.is_empty());
        for field in &mut fields[3..] {
            match field.as_str() {
                "EBADF" => *field = "error".into(),
                "2 bytes" => *field = "ok".into(),
                _ => {}
            }
        }
        rows.push(fields.join("|"));
    }
    rows
}

fn python_rows(dir: &std::path::Path, modes: &[&str]) -> Vec<String> {
    let path = dir.join("py.txt");
    let mut args = vec![path.to_str().unwrap()];
    args.extend_from_slice(modes);
    let out = python(PROBE, &args);
    out.stdout_text().lines().map(str::to_owned).collect()
}

#[test]
fn python_binary_modes_match_open_options_except_the_a_plus_start_offset() {
    let dir = tempfile::tempdir().unwrap();
    let rust = rust_rows(dir.path());
    let python = python_rows(
        dir.path(),
        &["rb", "wb", "ab", "xb", "rb+", "wb+", "ab+", "xb+"],
    );
    assert_eq!(rust.len(), 8);
    for (rust, python) in rust.iter().zip(&python) {
        if rust.starts_with("a+|") {
            // Python seeks to the end when it opens in append mode; the
            // kernel (and Rust) leave the offset at 0 until the first write.
            assert_eq!(rust, "a+|created|kept|\"0123\"|ok|\"0123456789ab\"");
            assert_eq!(python, "a+|created|kept|\"\"|ok|\"0123456789ab\"");
        } else {
            assert_eq!(rust, python);
        }
    }
}

#[test]
fn python_text_modes_open_like_binary_modes_except_r_plus_read_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let binary = python_rows(
        dir.path(),
        &["rb", "wb", "ab", "xb", "rb+", "wb+", "ab+", "xb+"],
    );
    let text = python_rows(dir.path(), &["r", "w", "a", "x", "r+", "w+", "a+", "x+"]);
    assert_eq!(binary.len(), 8);
    for (binary, text) in binary.iter().zip(&text) {
        if binary.starts_with("r+|") {
            assert_ne!(binary, text);
        } else {
            assert_eq!(binary, text);
        }
    }
}

#[test]
fn python_text_mode_r_plus_writes_after_its_read_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let rust = rust_rows(dir.path());
    let python = python_rows(dir.path(), &["r+"]);
    let rust_r_plus = rust.iter().find(|row| row.starts_with("r+|")).unwrap();
    assert_eq!(rust_r_plus, "r+|ENOENT|kept|\"0123\"|ok|\"0123ab6789\"");
    // The text layer read the whole file ahead, so "ab" went to the end.
    assert_eq!(python, ["r+|ENOENT|kept|\"0123\"|ok|\"0123456789ab\""]);
}

#[test]
fn python_decode_fails_on_invalid_utf8_unless_told_how_to_cope() {
    let out = python(
        r#"
data = b"caf\xe9"
try:
    data.decode()
except UnicodeDecodeError as e:
    print("strict:", e.reason, e.start)
print("replace:", ascii(data.decode(errors="replace")))
print("latin-1:", ascii(data.decode("latin-1")))
print("encode:", "文件".encode())
"#,
        &[],
    );
    assert_eq!(
        out.stdout_text(),
        "strict: unexpected end of data 3\n\
         replace: 'caf\\ufffd'\n\
         latin-1: 'caf\\xe9'\n\
         encode: b'\\xe6\\x96\\x87\\xe4\\xbb\\xb6'\n"
    );
}

#[test]
fn python_listdir_smuggles_non_utf8_bytes_as_surrogates() {
    let dir = tempfile::tempdir().unwrap();
    let out = python(
        r#"
import os, sys
os.chdir(sys.argv[1])
open(b"caf\xe9.txt", "w").close()
print(ascii(os.listdir(".")), os.listdir(b"."))
"#,
        &[dir.path().to_str().unwrap()],
    );
    assert_eq!(out.stdout_text(), "['caf\\udce9.txt'] [b'caf\\xe9.txt']\n");
}

#[test]
fn python_text_write_and_read_count_characters_binary_counts_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = python(
        r#"
import sys
path = sys.argv[1] + "/t.txt"
with open(path, "w", encoding="utf-8") as f:
    print(f.write("文件"))
with open(path, "rb") as f:
    print(len(f.read()))
with open(path, encoding="utf-8") as f:
    print(f.read(1))
with open(path, "rb") as f:
    print(f.read(1))
"#,
        &[dir.path().to_str().unwrap()],
    );
    assert_eq!(out.stdout_text(), "2\n6\n文\nb'\\xe6'\n");
}

#[test]
fn python_readline_keeps_the_newline_and_returns_empty_at_eof() {
    let out = python(
        r#"
import io
f = io.StringIO("first\nlast")
print([f.readline(), f.readline(), f.readline()])
print(io.StringIO("a\nb\n").readlines(), list(io.StringIO("a\nb\n")))
"#,
        &[],
    );
    assert_eq!(
        out.stdout_text(),
        "['first\\n', 'last', '']\n['a\\n', 'b\\n'] ['a\\n', 'b\\n']\n"
    );
}

#[test]
fn python_text_mode_refuses_nonzero_relative_seeks_binary_mode_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let out = python(
        r#"
import io, sys
path = sys.argv[1] + "/s.txt"
with open(path, "w+") as f:
    f.write("hello, world")
    for offset, whence in [(0, 2), (0, 1), (7, 0), (-5, 2), (-1, 1)]:
        try:
            print(offset, whence, "->", f.seek(offset, whence))
        except io.UnsupportedOperation as e:
            print(offset, whence, "->", e)
with open(path, "rb") as f:
    print(f.seek(-5, 2), f.read())
"#,
        &[dir.path().to_str().unwrap()],
    );
    assert_eq!(
        out.stdout_text(),
        "0 2 -> 12\n\
         0 1 -> 12\n\
         7 0 -> 7\n\
         -5 2 -> can't do nonzero end-relative seeks\n\
         -1 1 -> can't do nonzero cur-relative seeks\n\
         7 b'world'\n"
    );
}

#[test]
fn python_flushes_at_exit_but_not_at_os_exit_or_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let code = r#"
import os, signal, sys
how, path = sys.argv[1], sys.argv[2]
f = open(path, "w")
f.write("buffered line\n")
if how == "sys.exit":
    sys.exit(0)
elif how == "os._exit":
    os._exit(0)
else:
    os.kill(os.getpid(), signal.SIGKILL)
"#;
    for (how, expected) in [
        ("sys.exit", "buffered line\n"),
        ("os._exit", ""),
        ("kill", ""),
    ] {
        let path = dir.path().join(format!("{how}.log"));
        let out = run(Command::new("python3").args(["-c", code, how]).arg(&path));
        assert_eq!(
            out.status.code().is_some(),
            how != "kill",
            "{how}: {}",
            out.status
        );
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written, expected, "{how}");
    }
}

#[test]
fn python_buffering_rules() {
    let dir = tempfile::tempdir().unwrap();
    let out = python(
        r#"
import sys, warnings
path = sys.argv[1] + "/b.txt"
def size():
    with open(path, "rb") as f:
        return len(f.read())
with open(path, "w", buffering=1) as f:
    f.write("no newline")
    a = size()
    f.write(" ... newline\n")
    print("buffering=1 text:", a, size())
try:
    open(path, "w", buffering=0)
except ValueError as e:
    print("buffering=0 text:", e)
with open(path, "wb", buffering=0) as f:
    f.write(b"x")
    print("buffering=0 binary:", size())
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    open(path, "wb", buffering=1).close()
    print("buffering=1 binary:", caught[0].message)
"#,
        &[dir.path().to_str().unwrap()],
    );
    assert_eq!(
        out.stdout_text(),
        "buffering=1 text: 0 23\n\
         buffering=0 text: can't have unbuffered text I/O\n\
         buffering=0 binary: 1\n\
         buffering=1 binary: line buffering (buffering=1) isn't supported in binary mode, the default buffer size will be used\n"
    );
}

#[test]
fn python_os_path_answers_false_where_rust_try_exists_reports_the_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello, file\n").unwrap();
    std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("notes.txt", dir.path().join("link")).unwrap();
    let out = python(
        r#"
import os, sys
os.chdir(sys.argv[1])
for path in ["notes.txt", "notes.txt/x", "loop", "missing.txt", "link"]:
    print(path, os.path.exists(path), os.path.isfile(path), os.path.isdir(path))
print(os.path.getsize("notes.txt"), os.listdir("."))
os.remove("notes.txt")
print(os.path.exists("notes.txt"))
try:
    os.remove(".")
except OSError as e:
    print(type(e).__name__)
"#,
        &[dir.path().to_str().unwrap()],
    );
    let text = out.stdout_text();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("notes.txt True True False"));
    assert_eq!(lines.next(), Some("notes.txt/x False False False"));
    assert_eq!(lines.next(), Some("loop False False False"));
    assert_eq!(lines.next(), Some("missing.txt False False False"));
    assert_eq!(lines.next(), Some("link True True False"));
    let listing = lines.next().unwrap();
    assert!(listing.starts_with("12 ["), "{listing}");
    assert!(listing.contains("'notes.txt'") && listing.contains("'loop'"));
    assert_eq!(lines.next(), Some("False"));
    assert_eq!(lines.next(), Some("IsADirectoryError"));
}

#[test]
fn python_text_mode_translates_newlines_on_read_even_on_linux() {
    let dir = tempfile::tempdir().unwrap();
    let out = python(
        r#"
import sys
path = sys.argv[1] + "/crlf.txt"
with open(path, "wb") as f:
    f.write(b"one\r\ntwo\rthree\n")
print(ascii(open(path).read()), ascii(open(path, newline="").read()), open(path, "rb").read())
"#,
        &[dir.path().to_str().unwrap()],
    );
    assert_eq!(
        out.stdout_text(),
        "'one\\ntwo\\nthree\\n' 'one\\r\\ntwo\\rthree\\n' b'one\\r\\ntwo\\rthree\\n'\n"
    );
}

#[test]
fn python_close_reports_the_flush_error_that_rust_drop_swallows() {
    let out = python(
        r#"
f = open("/dev/full", "w")
print(f.write("hello"))
try:
    f.close()
except OSError as e:
    print("close:", e.strerror)
"#,
        &[],
    );
    assert_eq!(out.stdout_text(), "5\nclose: No space left on device\n");
}

#[test]
fn python_open_calls_its_second_parameter_mode_not_access_mode() {
    let out = python(
        r#"
print(open("/dev/null", mode="r").mode)
try:
    open("/dev/null", access_mode="r")
except TypeError:
    print("TypeError")
"#,
        &[],
    );
    assert_eq!(out.stdout_text(), "r\nTypeError\n");
}
