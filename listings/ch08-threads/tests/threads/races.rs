//! Lost updates: what the compiler lets you write, and what the GIL does
//! not prevent.

use std::process::Command;

use harness::{Normalizer, check_output, run};
use regex::Regex;

use crate::listing;

#[test]
fn fetch_add_and_a_mutex_count_exactly_and_load_then_store_may_lose_updates() {
    let out = run(&mut listing(env!("CARGO_BIN_EXE_lost_updates")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(
        text.contains("Mutex<u64>, lock then +=:     4000000\n"),
        "{text}"
    );
    assert!(
        text.contains("AtomicU64::fetch_add:         4000000\n"),
        "{text}"
    );
    let racy = Regex::new(r"load then store:   (\d+) \((\d+) lost\)").unwrap();
    let found = racy.captures(&text).unwrap_or_else(|| panic!("{text}"));
    let counted: u64 = found[1].parse().unwrap();
    let lost: u64 = found[2].parse().unwrap();
    // Losing updates is likely, not certain: threads that never overlap
    // between a load and its store (one CPU, long time slices) lose none.
    // What cannot happen is counting more than was added.
    assert!(counted <= 4_000_000, "{text}");
    assert_eq!(counted + lost, 4_000_000);
    // The book shows the count of one run on the book's machine.
    let shown = Normalizer::new()
        .replace(
            r"store:   \d+ \(\d+ lost\)",
            "store:   1390081 (2609919 lost)",
        )
        .apply(&text);
    check_output!("../../output/lost_updates.txt", &shown);
}

const LOST_PY: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/python/lost_updates.py");
/// The same loop as python/lost_updates.py, with a bare `counter += 1`.
const PLUS_EQUALS: &str = r#"
import threading
counter = 0
def work(n):
    global counter
    for _ in range(n):
        counter += 1
threads = [threading.Thread(target=work, args=(200_000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter, "of", 4 * 200_000)
"#;

/// Runs a Python counting script (a file, or `-c` and a program) and
/// returns its count.
fn python_count(args: &[&str]) -> u64 {
    let out = run(Command::new("python3").args(args));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.ends_with(" of 800000\n"), "{text}");
    text.split(' ').next().unwrap().parse().unwrap()
}

/// The GIL runs one thread at a time, but may switch between a read and a
/// write. A loss is very likely in every run; five runs without one would
/// mean the claim is wrong.
#[test]
fn python_threads_lose_updates_despite_the_gil() {
    let counts: Vec<u64> = (0..5)
        .map(|_| python_count(&[LOST_PY]))
        .take_while(|&count| count == 800_000)
        .collect();
    assert!(counts.len() < 5, "five runs lost nothing: {counts:?}");
}

/// CPython 3.11 switches threads only at a loop's jump back or at a call,
/// never inside `counter += 1`: this loop happens not to lose updates.
/// That is an interpreter detail, not a guarantee.
#[test]
fn python_311_plus_equals_happens_not_to_lose_updates() {
    let version = run(Command::new("python3")
        .args(["-c", "import sys; print(sys.version_info[:2])"]));
    if version.stdout_text().trim() != "(3, 11)" {
        eprintln!(
            "note: python3 is not 3.11; the claim is about 3.11: skipped"
        );
        return;
    }
    assert_eq!(python_count(&["-c", PLUS_EQUALS]), 800_000);
}
