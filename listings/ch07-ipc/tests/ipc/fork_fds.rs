//! Files across fork: one open before fork shares an offset; an open in
//! each process does not.

use std::process::Command;

use harness::{Normalizer, check_output, run};

use crate::bin;
use crate::common::{have, run_forking};

#[test]
fn a_file_opened_before_fork_shares_its_offset_with_the_child() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = run_forking(Command::new(bin!("fork_offsets")).arg(dir.path()));
    out.assert_success();
    let text = out.stdout_text();
    let lines: Vec<&str> = text.lines().collect();
    // One description, one offset: the parent writes after the child.
    assert_eq!(
        lines[1],
        r#""written by the child\nwritten by the parent\n""#
    );
    // Two descriptions, two offsets at 0: the parent overwrites the child.
    assert_eq!(lines[3], r#""written by the parent\n""#);
    // O_APPEND: every write goes to the end, whoever opened the file.
    assert_eq!(
        lines[5],
        r#""written by the child\nwritten by the parent\n""#
    );
    let file = std::fs::read_to_string(dir.path().join("lines.txt")).unwrap();
    assert_eq!(file, "written by the child\nwritten by the parent\n");
    let shown = Normalizer::new()
        .path(dir.path(), "/tmp/ch07-fork-offsets")
        .apply(&text);
    check_output!("../../output/fork_offsets.txt", &shown);
}

#[test]
fn a_python_file_buffer_is_copied_by_fork_and_flushed_twice() {
    if !have("python3") {
        eprintln!("note: no python3; Python's buffered files not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.txt");
    let script = "
import os, sys
f = open(sys.argv[1], 'w')
f.write('written once\\n')  # in the buffer, not yet in the file
pid = os.fork()
if pid == 0:
    f.close()  # the child flushes its copy of the buffer…
    os._exit(0)
os.waitpid(pid, 0)
f.close()  # …and the parent flushes its own
";
    let out = run(Command::new("python3").args(["-c", script]).arg(&path));
    out.assert_success();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, "written once\nwritten once\n");
}
