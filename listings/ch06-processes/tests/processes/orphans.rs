//! Orphans, subreapers and the double fork.

use std::path::Path;
use std::process::Command;

use harness::{Normalizer, check_output};

use crate::bin;
use crate::common::{numbers_after, renumber, run_listing, stat_field};

/// Shows the directory of the listing binaries as `target/debug`, as a
/// reader who runs them from the repository sees it.
fn tidy_paths(text: &str) -> String {
    let dir = Path::new(bin!("orphan")).parent().unwrap();
    Normalizer::new().path(dir, "target/debug").apply(text)
}

/// The PIDs of this test process and its ancestors, up to PID 1.
fn ancestors() -> Vec<i32> {
    let mut chain = vec![std::process::id() as i32];
    while let Some(parent) = stat_field(*chain.last().unwrap(), 4) {
        let parent: i32 = parent.parse().unwrap();
        if parent <= 0 {
            break;
        }
        chain.push(parent);
    }
    chain
}

#[test]
fn an_orphan_is_adopted_by_init_or_by_the_nearest_subreaper() {
    let (out, pid) = run_listing(&mut Command::new(bin!("orphan")));
    out.assert_success();
    let text = out.stdout_text();
    let numbers = numbers_after(&text, &["forked ", "now it is "]);
    let (child, adopter) = (numbers[0], numbers[1] as i32);
    assert!(
        text.starts_with(&format!("parent {pid}: forked {child};")),
        "{text}"
    );
    assert!(text.contains(&format!(
        "child {child}: my parent was {pid}; now it is {adopter}"
    )));
    // Not the dead parent; PID 1, or an ancestor of ours that is a
    // subreaper (systemd --user, a container's init, a CI runner...).
    assert_ne!(adopter, pid as i32);
    assert!(
        adopter == 1 || ancestors().contains(&adopter),
        "adopted by {adopter}, neither init nor one of our ancestors {:?}",
        ancestors()
    );
}

#[test]
fn under_a_subreaper_the_orphan_is_adopted_and_reaped_by_it() {
    let (out, pid) = run_listing(Command::new(bin!("subreaper")).arg(bin!("orphan")));
    out.assert_success();
    let text = tidy_paths(&out.stdout_text());
    let numbers = numbers_after(&text, &["parent ", "forked "]);
    let (parent, child) = (numbers[0], numbers[1]);
    assert!(
        text.contains(&format!("now it is {pid} (subreaper)")),
        "{text}"
    );
    assert!(text.contains(&format!(
        "reaped {parent} (orphan), exit status 0, my child"
    )));
    assert!(text.contains(&format!("reaped {child} (orphan), exit status 0, adopted")));
    let shown = renumber(&text, &[pid.into(), parent, child], &[4242, 4243, 4244]);
    check_output!("../../output/subreaper_orphan.txt", &shown);
}

#[test]
fn subreaper_exits_with_its_commands_status() {
    let (out, _) = run_listing(Command::new(bin!("subreaper")).args(["sh", "-c", "exit 7"]));
    assert_eq!(out.code(), Some(7));
    let (out, _) = run_listing(Command::new(bin!("subreaper")).args(["sh", "-c", "kill $$"]));
    assert_eq!(out.code(), Some(128 + 15), "{out}");
    assert!(out.stdout_text().contains("killed by SIGTERM, my child"));
}

#[test]
fn after_a_double_fork_the_parent_has_no_child_and_the_grandchild_is_reaped_by_its_adopter() {
    let (out, pid) = run_listing(Command::new(bin!("subreaper")).arg(bin!("double_fork")));
    out.assert_success();
    let text = tidy_paths(&out.stdout_text());
    let numbers = numbers_after(&text, &["parent ", "forked ", "I am "]);
    let (parent, middle, grandchild) = (numbers[0], numbers[1], numbers[2]);
    assert!(
        text.contains("parent: children left to wait for: []\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("I am {grandchild}, adopted by {pid}\n")),
        "{text}"
    );
    assert!(text.contains(&format!(
        "reaped {grandchild} (double_fork), exit status 0, adopted"
    )));
    assert!(text.contains(&format!(
        "reaped {parent} (double_fork), exit status 0, my child"
    )));
    assert!(text.contains(&format!(
        "parent: reaped {middle} at once: Exited(Pid({middle}), 0)"
    )));
    assert!(
        !text.contains(&format!("subreaper: reaped {middle}")),
        "{text}"
    );
    let pids = [pid.into(), parent, middle, grandchild];
    let shown = renumber(&text, &pids, &[4242, 4243, 4244, 4245]);
    check_output!("../../output/double_fork.txt", &shown);
}
