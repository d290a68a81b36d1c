//! Exercise 12.1: `chmod`'s symbolic modes
//! Edit: exercises/ch12-bits/src/chmod.rs
//! Hint: Parse each clause into who (a mask: `u` is 0o4700, `g` 0o2070, `o` 0o1007, `a` 0o7777) and operations, each an operator and a value (`r` is 0o444, `w` 0o222, `x` 0o111, `s` 0o6000, `t` 0o1000). Then `value &= who`, or `value &= !umask` when no who was given; `+` is `|=`, `-` is `&= !value`, `=` clears the who bits (all bits without who) and ORs in the value. `X` adds 0o111 only for a directory or when `mode & 0o111 != 0` at that point.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use harness::run;

#[cfg(not(feature = "reference"))]
use ex12_bits::chmod::{InvalidMode, apply};
#[cfg(feature = "reference")]
use ex12_bits::chmod_reference::{InvalidMode, apply};

/// What GNU chmod does: sets `start` on a new file (or directory) in
/// `dir`, runs `chmod -- SPEC` under `umask`, and returns the new mode,
/// or `None` if chmod refused the mode.
fn real_chmod(
    dir: &Path,
    start: u32,
    spec: &str,
    is_dir: bool,
    umask: u32,
) -> Option<u32> {
    let path = dir.join(format!("t{}", fs::read_dir(dir).unwrap().count()));
    if is_dir {
        fs::create_dir(&path).unwrap();
    } else {
        fs::write(&path, b"").unwrap();
    }
    // chmod(2) directly: chmod(1) with an octal mode keeps a directory's
    // set-ID bits.
    fs::set_permissions(&path, fs::Permissions::from_mode(start)).unwrap();
    let out = run(Command::new("sh")
        .arg("-c")
        .arg("umask \"$1\" && exec chmod -- \"$2\" \"$3\"")
        .arg("sh")
        .arg(format!("{umask:03o}"))
        .arg(spec)
        .arg(&path));
    if !out.status.success() {
        assert!(
            out.stderr_text().contains("invalid mode"),
            "chmod failed for another reason: {out}"
        );
        return None;
    }
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
    Some(mode)
}

#[test]
fn the_books_example() {
    // 666: u gains x (766), g loses w (746), o is set to r (744).
    assert_eq!(apply(0o666, "u+x,g-w,o=r", false, 0o022), Ok(0o744));
}

/// (start mode, spec, umask) for regular files.
const FILE_CASES: &[(u32, &str, u32)] = &[
    (0o644, "u+x", 0o022),
    (0o644, "u+x,g-w,o=r", 0o022),
    (0o777, "go-w", 0o022),
    (0o000, "a+r", 0o022),
    (0o644, "ug=rw,o=", 0o022),
    (0o640, "o=rx", 0o077),
    (0o755, "a-x", 0o022),
    (0o644, "+x", 0o022),
    (0o644, "+x", 0o027),
    (0o444, "+w", 0o022),
    (0o444, "+w", 0o000),
    (0o777, "-w", 0o022),
    (0o777, "-w", 0o002),
    (0o777, "=r", 0o022),
    (0o666, "=", 0o022),
    (0o000, "=rw", 0o022),
    (0o644, "u+r-w", 0o022),
    (0o644, "ug+x-w", 0o022),
    (0o644, "-w+x", 0o022),
    (0o644, "u=rw-x+x", 0o022),
    (0o644, "a+X", 0o022),
    (0o744, "a+X", 0o022),
    (0o644, "u+x,a+X", 0o022),
    (0o644, "go+X", 0o022),
    (0o755, "u+s", 0o022),
    (0o755, "g+s", 0o022),
    (0o755, "+s", 0o022),
    (0o755, "o+t", 0o022),
    (0o755, "u+t", 0o022),
    (0o755, "+t", 0o022),
    (0o6755, "u-s", 0o022),
    (0o6755, "=rx", 0o022),
    (0o6755, "a=rwx", 0o022),
    (0o7777, "o-t,g-s", 0o022),
    (0o644, "+", 0o022),
    (0o644, "u++x", 0o022),
    (0o600, "uu+x", 0o022),
    (0o640, "a=rwxst", 0o022),
];

/// (start mode, spec, umask) for directories.
const DIR_CASES: &[(u32, &str, u32)] = &[
    (0o755, "a+X", 0o022),
    (0o644, "a+X", 0o022),
    (0o644, "u+X,go-r", 0o022),
    (0o2755, "u=rwx,go=rx", 0o022),
    (0o2755, "a=rwx", 0o022),
    (0o2755, "g-s", 0o022),
    (0o6755, "=", 0o022),
    (0o6755, "u=rwxs", 0o022),
    (0o755, "g+s", 0o022),
    (0o1777, "o-t", 0o022),
    (0o2775, "=rwx", 0o002),
];

#[test]
fn files_get_the_mode_real_chmod_gives_them() {
    let dir = tempfile::tempdir().unwrap();
    for &(start, spec, umask) in FILE_CASES {
        let want = real_chmod(dir.path(), start, spec, false, umask)
            .unwrap_or_else(|| panic!("chmod refused {spec:?}"));
        assert_eq!(
            apply(start, spec, false, umask),
            Ok(want),
            "chmod {spec} on a file with mode {start:#o}, umask {umask:03o}: \
             chmod gives {want:#o}"
        );
    }
}

#[test]
fn directories_get_the_mode_real_chmod_gives_them() {
    let dir = tempfile::tempdir().unwrap();
    for &(start, spec, umask) in DIR_CASES {
        let want = real_chmod(dir.path(), start, spec, true, umask)
            .unwrap_or_else(|| panic!("chmod refused {spec:?}"));
        assert_eq!(
            apply(start, spec, true, umask),
            Ok(want),
            "chmod {spec} on a directory with mode {start:#o}, umask \
             {umask:03o}: chmod gives {want:#o}"
        );
    }
}

#[test]
fn modes_chmod_refuses_are_invalid() {
    let dir = tempfile::tempdir().unwrap();
    for spec in [
        "", "u", "u+z", "g+w,", ",g+w", "u+x,,g+w", "ux", "r", "+w u", "a+rw!",
        "x+u", "U+x",
    ] {
        assert_eq!(
            real_chmod(dir.path(), 0o644, spec, false, 0o022),
            None,
            "chmod accepted {spec:?}"
        );
        assert_eq!(
            apply(0o644, spec, false, 0o022),
            Err(InvalidMode(spec.to_owned())),
            "chmod says `invalid mode: {spec:?}`"
        );
    }
}
