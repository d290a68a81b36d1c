//! The fork listings: return values, order, copy-on-write, buffers copied
//! into the child, chains of forks, and fork in a multi-threaded process.

use std::process::Command;

use harness::{check_output, run};

use crate::bin;
use crate::common::{have, numbers_after, python, renumber, run_listing};

/// The two lines the parent and the child print first, in either order.
fn racing_lines(text: &str) -> (String, String) {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    let parent = lines[1..3]
        .iter()
        .find(|line| line.starts_with("parent:"))
        .unwrap();
    let child = lines[1..3]
        .iter()
        .find(|line| line.starts_with("child:"))
        .unwrap();
    (parent.to_string(), child.to_string())
}

#[test]
fn fork_returns_the_childs_pid_in_the_parent_and_zero_in_the_child() {
    let (out, pid) = run_listing(&mut Command::new(bin!("fork")));
    out.assert_success();
    let text = out.stdout_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("before fork: I am {pid}"));
    let (parent, child) = racing_lines(&text);
    let child_pid: u32 = numbers_after(&parent, &["fork returned "])[0] as u32;
    assert_eq!(
        parent,
        format!("parent: fork returned {child_pid}; I am {pid}")
    );
    assert_eq!(
        child,
        format!("child: fork returned 0; I am {child_pid}, my parent is {pid}")
    );
    assert_eq!(
        lines[3],
        format!("parent: my child ended: Exited(Pid({child_pid}), 0)")
    );
    // The order of the two middle lines varies; the book shows one.
    let shown = [lines[0], &parent, &child, lines[3]].join("\n") + "\n";
    let shown = renumber(&shown, &[pid.into(), child_pid.into()], &[4242, 4243]);
    check_output!("../../output/fork.txt", &shown);
}

#[test]
fn the_order_of_parent_and_child_is_up_to_the_scheduler() {
    // Each run may print parent-first or child-first. We cannot make the
    // scheduler choose, but every run must be one of the two orders, and
    // each process's own lines stay in its order.
    let mut seen = (0, 0);
    for _ in 0..200 {
        let out = run(&mut Command::new(bin!("fork")));
        out.assert_success();
        let text = out.stdout_text();
        racing_lines(&text); // exactly one line of each, in the middle
        if text.lines().nth(1).unwrap().starts_with("parent:") {
            seen.0 += 1;
        } else {
            seen.1 += 1;
        }
        if seen.0 > 0 && seen.1 > 0 {
            return;
        }
    }
    eprintln!(
        "note: in 200 runs, parent first {} times, child first {}",
        seen.0, seen.1
    );
}

#[test]
fn after_fork_the_child_writes_to_its_own_copy_and_pages_are_copied_on_write() {
    let (out, _) = run_listing(&mut Command::new(bin!("cow")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(
        text.contains("child:  counter = 2, buffer[0] = 2"),
        "{text}"
    );
    assert!(
        text.ends_with("parent: counter = 1, buffer[0] = 1\n"),
        "{text}"
    );
    check_output!("../../output/cow.txt", &text);
}

#[test]
fn text_buffered_before_fork_is_printed_twice_unless_flushed() {
    let (out, _) = run_listing(&mut Command::new(bin!("fork_buffer")));
    out.assert_success();
    let text = out.stdout_text();
    assert_eq!(text.matches("half a line, ").count(), 2, "{text}");
    assert_eq!(text.matches("a whole line").count(), 1, "{text}");
    check_output!("../../output/fork_buffer.txt", &text);

    let (out, _) = run_listing(Command::new(bin!("fork_buffer")).arg("--flush"));
    out.assert_success();
    let flushed = out.stdout_text();
    assert_eq!(flushed.matches("half a line, ").count(), 1, "{flushed}");
    check_output!("../../output/fork_buffer_flush.txt", &flushed);

    // Rust's stdout is line-buffered into a pipe and on a terminal alike,
    // so a terminal shows the same thing.
    if have("script") {
        let on_tty = run(Command::new("script").args(["-qec", bin!("fork_buffer"), "/dev/null"]));
        assert_eq!(on_tty.stdout_text().replace("\r\n", "\n"), text);
    }
}

const PYTHON_FORK: &str = r#"
import os
print("before fork")
pid = os.fork()
if pid == 0:
    print("child")
    raise SystemExit(0)  # a normal exit: Python flushes its buffers
os.waitpid(pid, 0)
print("parent")
"#;

#[test]
fn python_prints_a_whole_line_twice_when_stdout_is_a_pipe() {
    if !have("python3") {
        eprintln!("note: no python3: Python comparison skipped");
        return;
    }
    // Into a pipe, Python's stdout is block-buffered: the child inherits
    // the unwritten "before fork\n" and writes it too.
    let out = run(python().args(["-c", PYTHON_FORK]));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "before fork\nchild\nbefore fork\nparent\n"
    );
    // On a terminal it is line-buffered: nothing is left to copy.
    if have("script") {
        let script = format!("python3 -c '{}'", PYTHON_FORK.replace('\'', "'\\''"));
        let out = run(Command::new("script")
            .args(["-qec", &script, "/dev/null"])
            .env_remove("PYTHONUNBUFFERED"));
        assert_eq!(
            out.stdout_text().replace("\r\n", "\n"),
            "before fork\nchild\nparent\n"
        );
    }
}

#[test]
fn forks_in_a_row_double_the_processes_and_branches_decide_the_shape() {
    let (out, _) = run_listing(&mut Command::new(bin!("fork_chain")));
    out.assert_success();
    let text = out.stdout_text();
    // Two forks in a row: 4 processes; three: 8. Count the names drawn
    // under each heading (the tree lines are indented).
    let mut counts = Vec::new();
    for line in text.lines() {
        if line.starts_with("  ") {
            *counts.last_mut().unwrap() += line.matches("row").count();
        } else {
            counts.push(0);
        }
    }
    assert_eq!(counts[..2], [4, 8], "{text}");
    assert!(
        text.contains("  siblings-+-siblings.1\n           `-siblings.2\n"),
        "{text}"
    );
    assert!(text.contains("chain---chain.1---chain.1.2\n"), "{text}");
    check_output!("../../output/fork_chain.txt", &text);
}

#[test]
fn a_forked_child_has_one_thread_and_finds_the_other_threads_lock_held() {
    let (out, _) = run_listing(&mut Command::new(bin!("fork_threads")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(
        text.starts_with("parent: 2 threads\nchild:  1 thread\n"),
        "{text}"
    );
    check_output!("../../output/fork_threads.txt", &text);
}
