//! Ending a process: returning from main, `process::exit`, `_exit`, and a
//! signal, seen through what a forked child's copies do on the way out.

use std::process::Command;

use harness::{check_output, run};

use crate::bin;
use crate::common::{have, python, run_listing};

#[test]
fn only_return_runs_destructors_and_only_exit_and_return_flush_stdout() {
    let (out, _) = run_listing(&mut Command::new(bin!("exit_paths")));
    out.assert_success();
    let text = out.stdout_text();
    let line = |how: &str| {
        text.lines()
            .find(|line| line.starts_with(how))
            .unwrap_or_else(|| panic!("no line for {how}:\n{text}"))
            .to_owned()
    };
    assert!(line("return ").contains("exit status 0"));
    assert!(line("return ").ends_with(r#"wrote "<parent's unflushed text><drop ran>""#));
    assert!(line("process::exit").contains("exit status 3"));
    assert!(line("process::exit").ends_with(r#"wrote "<parent's unflushed text>""#));
    assert!(line("_exit").contains("exit status 4"));
    assert!(line("_exit").ends_with(r#"wrote """#));
    assert!(line("SIGKILL").contains("killed by SIGKILL"));
    assert!(line("SIGKILL").ends_with(r#"wrote """#));
    // The parent's own copy goes out once, when the parent flushes it.
    assert!(
        text.starts_with("<parent's unflushed text><drop ran>\n"),
        "{text}"
    );
    check_output!("../../output/exit_paths.txt", &text);
}

#[test]
fn python_sys_exit_with_a_message_prints_it_and_exits_with_1() {
    if !have("python3") {
        eprintln!("note: no python3: Python comparison skipped");
        return;
    }
    let out = run(python().args(["-c", "import sys; sys.exit('bye')"]));
    assert_eq!(out.code(), Some(1));
    assert_eq!(out.stderr_text(), "bye\n");
    let out = run(python().args(["-c", "import sys; sys.exit(3)"]));
    assert_eq!(out.code(), Some(3));
    // os._exit skips Python's flush: text buffered for a pipe is lost.
    let out = run(python().args(["-c", "import os; print('lost'); os._exit(0)"]));
    assert_eq!(out.code(), Some(0));
    assert_eq!(out.stdout_text(), "");
}
