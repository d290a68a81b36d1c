//! Listing 12-6: open(2)'s flags, from libc, Python and the C headers, and
//! as the kernel keeps them.

use std::fs;
use std::process::Command;

use harness::{check_output, run};

use crate::bin;
use crate::common::{Job, python};

const NAMES: [&str; 9] = [
    "O_RDONLY",
    "O_WRONLY",
    "O_RDWR",
    "O_CREAT",
    "O_EXCL",
    "O_TRUNC",
    "O_APPEND",
    "O_NONBLOCK",
    "O_CLOEXEC",
];

/// Python's open(path, "w"), and the flags the kernel keeps for it.
const PY_GETFL: &str = "import fcntl, os, tempfile
with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, 'python-w'), 'w') as f:
        print(oct(fcntl.fcntl(f.fileno(), fcntl.F_GETFL)))";

pub fn python_jobs() -> Vec<Job> {
    let values = "import os, sys\nfor name in sys.argv[1:]:\n    print(name, getattr(os, name))";
    vec![
        Job::code("os.O_*", values, &NAMES),
        Job::code("F_GETFL", PY_GETFL, &[]),
    ]
}

/// Runs `open_flags` with its temporary file in a directory of our own.
fn open_flags() -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = run(Command::new(bin!("open_flags")).env("TMPDIR", dir.path()));
    out.assert_success();
    // The listing removes its file again.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    out.stdout_text()
}

/// The table at the top of the output: (name, value).
fn table(text: &str) -> Vec<(String, i64)> {
    text.lines()
        .take_while(|line| line.starts_with("O_"))
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let octal = fields[1].strip_prefix("0o").unwrap();
            let value = i64::from_str_radix(octal, 8).unwrap();
            // The hex column says the same.
            let hex = fields[2].strip_prefix("0x").unwrap();
            assert_eq!(i64::from_str_radix(hex, 16).unwrap(), value, "{line}");
            (fields[0].to_owned(), value)
        })
        .collect()
}

#[test]
fn open_flags_output_matches_the_book() {
    let text = open_flags();
    check_output!("../../output/open_flags.txt", &text);
}

#[test]
fn the_values_are_pythons_os_o_constants() {
    let ours = table(&open_flags());
    assert_eq!(ours.len(), 9);
    let names: Vec<&str> = ours.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, NAMES);
    let theirs: Vec<(String, i64)> = python("os.O_*")
        .lines()
        .map(|line| {
            let (name, value) = line.split_once(' ').unwrap();
            (name.to_owned(), value.parse().unwrap())
        })
        .collect();
    assert_eq!(ours, theirs);
}

#[test]
fn the_values_are_the_kernel_headers_defines() {
    let header = "/usr/include/asm-generic/fcntl.h";
    let Ok(text) = fs::read_to_string(header) else {
        eprintln!("note: no {header} (install linux-libc-dev); header check skipped");
        return;
    };
    // #define O_CREAT		00000100	/* not fcntl */
    let define = |name: &str| -> i64 {
        let line = text
            .lines()
            .find(|line| line.split_whitespace().take(2).eq(["#define", name]))
            .unwrap_or_else(|| panic!("{header} defines no {name}"));
        let value = line.split_whitespace().nth(2).unwrap();
        i64::from_str_radix(value, 8).unwrap()
    };
    for (name, value) in table(&open_flags()) {
        assert_eq!(define(&name), value, "{name}");
    }
    // The kernel's O_LARGEFILE is the bit F_GETFL reports; glibc's is 0 on
    // 64-bit machines, where every file is large.
    assert_eq!(define("O_LARGEFILE"), 0o100000);
    assert_eq!(libc::O_LARGEFILE, 0);
}

#[test]
fn the_kernel_keeps_access_mode_and_status_flags_but_not_creation_flags() {
    let text = open_flags();
    assert!(
        text.contains("F_GETFL: 0o100001 = OFlag(O_WRONLY | 0x8000)\n"),
        "{text}"
    );
    assert!(
        text.contains("F_SETFL(flags | O_NONBLOCK):  0o104001\n"),
        "{text}"
    );
    assert!(
        text.contains("F_SETFL(flags & !O_NONBLOCK): 0o100001\n"),
        "{text}"
    );
    // Python's fcntl sees the same number for open(path, "w").
    assert_eq!(python("F_GETFL"), "0o100001\n");
}
