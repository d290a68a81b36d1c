//! Listings 12-1 and 12-2: the operators, and shifts by the width or more.

use std::path::{Path, PathBuf};
use std::process::Command;

use harness::{Normalizer, check_output, run};

use crate::bin;
use crate::common::{Job, listing, python, stdout_of};

pub fn python_jobs() -> Vec<Job> {
    vec![Job::script("operators.py", "operators.py", &[])]
}

#[test]
fn operators_output_matches_the_book() {
    check_output!(
        "../../output/operators.txt",
        &stdout_of(bin!("operators"), &[])
    );
}

#[test]
fn python_prints_its_side_of_the_comparison() {
    let py = python("operators.py");
    check_output!("../../output/operators_python.txt", &py);
    // Where no width is involved, Python and Rust agree line for line
    // (Rust's `/` and Python's `//` are the same on these positive values).
    let rust = stdout_of(bin!("operators"), &[]);
    let same: Vec<&str> = rust.lines().take(8).collect();
    let theirs: Vec<String> = py.lines().take(8).map(|l| l.replace("//", "/")).collect();
    assert_eq!(same, theirs);
}

/// The panic message names the thread's ID (Rust 1.91 and later), which
/// changes with every run.
fn tidy_panic(text: &str) -> String {
    Normalizer::new()
        .replace(
            r"thread 'main' \(\d+\) panicked",
            "thread 'main' (4242) panicked",
        )
        .apply(text)
}

#[test]
fn a_debug_build_panics_on_a_shift_by_the_width_or_more() {
    for n in ["32", "33", "4294967295"] {
        let out = listing(bin!("shift_width"), &[n]);
        assert_eq!(out.code(), Some(101), "shift by {n}: {out}");
        assert!(
            out.stderr_text()
                .contains("attempt to shift left with overflow"),
            "{out}"
        );
        // checked, wrapping and overflowing answered before the panic.
        assert_eq!(out.stdout_text().lines().count(), 3, "{out}");
        assert!(out.stdout_text().contains("None"), "{out}");
    }
    let out = listing(bin!("shift_width"), &["33"]);
    let shown = format!("{}{}", out.stdout_text(), tidy_panic(&out.stderr_text()));
    check_output!("../../output/shift_width.txt", &shown);
}

#[test]
fn below_the_width_all_four_shifts_agree() {
    let text = stdout_of(bin!("shift_width"), &["5"]);
    assert_eq!(
        text,
        "1u32.checked_shl(5)     = Some(32)\n\
         1u32.wrapping_shl(5)    = 32\n\
         1u32.overflowing_shl(5) = (32, false)\n\
         1u32 << 5               = 32\n"
    );
}

#[test]
fn shift_width_refuses_a_missing_or_bad_count() {
    for args in [&[][..], &["-1"], &["x"]] {
        let out = listing(bin!("shift_width"), args);
        assert_eq!(out.code(), Some(2), "{args:?}: {out}");
        assert!(
            out.stderr_text().starts_with("usage: shift_width N"),
            "{out}"
        );
    }
}

/// The rustc of the toolchain that is running these tests.
fn rustc() -> PathBuf {
    Path::new(env!("CARGO")).with_file_name("rustc")
}

#[test]
fn an_optimised_build_masks_the_shift_count() {
    // A release build turns overflow checks off. Compile the listing the
    // same way (it uses only std) and run it.
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("shift_width");
    let source = format!("{}/src/bin/shift_width.rs", env!("CARGO_MANIFEST_DIR"));
    let mut compile = Command::new(rustc());
    compile
        .args(["--edition", "2024", "-O", "-o"])
        .arg(&exe)
        .arg(&source);
    let built = match harness::try_run(&mut compile, b"", harness::DEADLINE) {
        Ok(out) => out,
        Err(err) => {
            // E.g. when the tests run as another user than the toolchain's.
            eprintln!("note: cannot run rustc ({err}); release check skipped");
            return;
        }
    };
    built.assert_success();
    let out = run(Command::new(&exe).arg("33"));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.ends_with("1u32 << 33               = 2\n"), "{text}");
    check_output!("../../output/shift_width_release.txt", &text);
    // Every count is taken modulo 32, exactly like wrapping_shl.
    for n in [32u32, 63, 64, 4_294_967_295] {
        let text = run(Command::new(&exe).arg(n.to_string())).stdout_text();
        let wrapped = 1u32.wrapping_shl(n);
        assert!(
            text.contains(&format!("1u32 << {n}               = {wrapped}\n")),
            "{text}"
        );
    }
}
