//! Listings 6-1 to 6-5: PIDs, a child in every state, and `ps_lite` and
//! `pstree_lite` checked against the real `ps` and `pstree`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

use ch06_processes::{parse_stat, render_tree, stat_column};
use harness::{ChildGuard, DEADLINE, Normalizer, check_output, run};

use crate::bin;
use crate::common::{have, renumber, run_listing, stat_field};

#[test]
fn pids_agree_with_the_kernel_and_with_who_started_the_listing() {
    let (out, pid) = run_listing(&mut Command::new(bin!("pids")));
    out.assert_success();
    let text = out.stdout_text();
    let value = |key: &str| -> String {
        let line = text
            .lines()
            .find(|line| line.trim_start().starts_with(key))
            .unwrap();
        line.split_whitespace().last().unwrap().to_owned()
    };
    let me = std::process::id().to_string();
    assert_eq!(value("process::id()"), pid.to_string());
    assert_eq!(value("getpid()"), pid.to_string());
    assert_eq!(value("Pid:"), pid.to_string());
    // The test started it, so the test is its parent.
    assert_eq!(value("getppid()"), me);
    assert_eq!(value("parent_id()"), me);
    assert_eq!(value("PPid:"), me);
    assert_eq!(value("Threads:"), "1");
    assert!(text.contains("State:\tR (running)"), "{text}");
    let shown = Normalizer::new()
        .pid(pid, "4242")
        .pid(std::process::id(), "4200")
        .replace(r"(voluntary_ctxt_switches:\s+)\d+", "${1}1")
        .replace(r"(nonvoluntary_ctxt_switches:\s+)\d+", "${1}0")
        .apply(&text);
    check_output!("../../output/pids.txt", &shown);
}

#[test]
fn a_name_with_spaces_and_parentheses_is_parsed_whole() {
    let line = "42 (a) b (c)) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 \
                100 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0";
    let stat = parse_stat(line).unwrap();
    assert_eq!(stat.comm, "a) b (c)");
    assert_eq!(
        (stat.state, stat.ppid, stat.pgrp, stat.session),
        ('S', 1, 42, 42)
    );
    assert_eq!((stat.tpgid, stat.nice, stat.num_threads), (-1, 0, 1));
    assert_eq!(stat_column(&stat, 0), "Ss");
}

#[test]
fn the_stat_column_orders_its_flags_as_ps_does() {
    let mut stat = parse_stat("7 (x) R 1 7 7 34816 7 0 0 0 0 0 0 0 0 0 39 19 3 0").unwrap();
    assert_eq!(stat_column(&stat, 4), "RNLsl+");
    stat.nice = -5;
    stat.session = 1;
    assert_eq!(stat_column(&stat, 0), "R<l+");
}

#[test]
fn a_tree_is_drawn_like_pstree() {
    let mut table = BTreeMap::new();
    for (pid, ppid, comm) in [
        (1, 0, "init"),
        (2, 1, "a"),
        (3, 2, "b"),
        (4, 1, "c"),
        (5, 4, "d"),
        (6, 4, "e"),
        (7, 1, "f"),
    ] {
        let line = format!("{pid} ({comm}) S {ppid} {pid} {pid} 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0");
        table.insert(pid, parse_stat(&line).unwrap());
    }
    assert_eq!(
        render_tree(&table, 1, false),
        ["init-+-a---b", "     |-c-+-d", "     |   `-e", "     `-f"]
    );
    assert_eq!(render_tree(&table, 4, true), ["c(4)-+-d(5)", "     `-e(6)"]);
    assert!(render_tree(&table, 99, true).is_empty());
}

/// One row of `states`' table: PID, the STAT it promises, the name.
struct Member {
    pid: i32,
    stat: String,
    name: String,
}

/// `states` running under a guard, with the lines it printed so far.
struct Family {
    guard: ChildGuard,
    lines: mpsc::Receiver<String>,
    printed: Vec<String>,
    leader: i32,
    members: Vec<Member>,
    /// Whether it runs on a pseudo-terminal (then every STAT has `+`).
    on_a_terminal: bool,
}

impl Family {
    /// Starts `states`, on a pseudo-terminal through `script` when there
    /// is one, and reads its table.
    fn start() -> Family {
        let states = bin!("states");
        let on_a_terminal = have("script");
        let mut cmd = if on_a_terminal {
            // `; true` keeps sh from exec'ing states: sh leads the session,
            // as a login shell would, and states runs in the foreground.
            let mut cmd = Command::new("script");
            cmd.args(["-qec", &format!("{states}; true"), "/dev/null"]);
            cmd
        } else {
            eprintln!("note: no `script` command: states runs without a terminal, no `+` checked");
            Command::new(states)
        };
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut guard = ChildGuard::spawn(&mut cmd).unwrap();
        let stdout = guard.child_mut().stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // A pseudo-terminal turns \n into \r\n.
                if tx.send(line.trim_end_matches('\r').to_owned()).is_err() {
                    break;
                }
            }
        });
        let mut family = Family {
            guard,
            lines,
            printed: Vec::new(),
            leader: 0,
            members: Vec::new(),
            on_a_terminal,
        };
        loop {
            let line = family.next_line();
            if let Some(rest) = line.strip_prefix("states: pid ") {
                family.leader = rest.split(';').next().unwrap().parse().unwrap();
            } else if line.starts_with("try:") {
                break;
            } else if family.leader != 0 {
                let fields: Vec<&str> = line.split_whitespace().collect();
                family.members.push(Member {
                    pid: fields[0].parse().unwrap(),
                    stat: fields[1].to_owned(),
                    name: fields[2].to_owned(),
                });
            }
        }
        // states prints its table, then blocks reading stdin. Until it
        // gets there it is running (R): wait for it to settle in S.
        let blocked = harness::wait_until(DEADLINE, || {
            stat_field(family.leader, 3).as_deref() == Some("S")
        });
        assert!(blocked, "states never blocked on its input");
        family
    }

    fn next_line(&mut self) -> String {
        let line = self.lines.recv_timeout(DEADLINE).unwrap_or_else(|_| {
            panic!(
                "states printed no more lines; so far:\n{}",
                self.printed.join("\n")
            )
        });
        self.printed.push(line.clone());
        line
    }

    fn pids(&self) -> Vec<i32> {
        let mut pids = vec![self.leader];
        pids.extend(self.members.iter().map(|member| member.pid));
        pids
    }

    /// Presses Enter and checks that every member was killed and reaped.
    fn end(mut self) {
        let stdin = self.guard.child_mut().stdin.as_mut().unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
        let line = loop {
            let line = self.next_line();
            if line.starts_with("killed and reaped") {
                break line;
            }
        };
        assert_eq!(line, "killed and reaped 8 processes");
        let status = self
            .guard
            .wait_timeout(DEADLINE)
            .unwrap()
            .expect("states ended");
        assert!(status.success(), "{status}");
        for pid in self.pids() {
            // Gone from /proc: reaped, not left as zombies.
            assert_eq!(stat_field(pid, 3), None, "process {pid} is still there");
        }
    }
}

/// `pid → (ppid, stat, command)` from `ps -o pid=,ppid=,stat=,comm=`-style
/// rows (ps_lite's header, if any, is skipped).
fn rows(text: &str) -> BTreeMap<i32, (i32, String, String)> {
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let pid = fields.first()?.parse().ok()?;
            Some((
                pid,
                (
                    fields[1].parse().ok()?,
                    fields[2].to_owned(),
                    fields[3..].join(" "),
                ),
            ))
        })
        .collect()
}

#[test]
fn each_child_of_states_is_in_the_state_it_claims() {
    let family = Family::start();
    let names: Vec<&str> = family
        .members
        .iter()
        .map(|member| member.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "running",
            "sleeping",
            "stopped",
            "zombie",
            "threaded",
            "niced",
            "vforking",
            "vfork-child"
        ]
    );
    for member in &family.members {
        let state = stat_field(member.pid, 3).unwrap();
        assert_eq!(
            state,
            member.stat[..1],
            "{} is in state {state}",
            member.name
        );
    }
    family.end();
}

#[test]
fn ps_lite_shows_the_same_pids_parents_and_states_as_ps() {
    if !have("ps") {
        eprintln!("note: no `ps` (apt-get install procps): comparison skipped");
        return;
    }
    let family = Family::start();
    let list: Vec<String> = family.pids().iter().map(i32::to_string).collect();
    let list = list.join(",");
    let lite = run(Command::new(bin!("ps_lite")).arg(&list));
    lite.assert_success();
    let real = run(Command::new("ps").args(["-o", "pid=,ppid=,stat=,comm=", "-p", &list]));
    real.assert_success();
    let (lite_rows, real_rows) = (rows(&lite.stdout_text()), rows(&real.stdout_text()));
    assert_eq!(
        lite_rows,
        real_rows,
        "ps_lite:\n{}ps:\n{}",
        lite.stdout_text(),
        real.stdout_text()
    );
    assert_eq!(lite_rows.len(), 9);
    // Run under `nice` (as `nice cargo test`), every child inherits the
    // niceness and `ps` marks each with `N`: only the `niced` child's `N`
    // is its own doing.
    // SAFETY: getpriority has no preconditions.
    let inherited_nice = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) } > 0;
    for member in &family.members {
        let (ppid, stat, command) = &real_rows[&member.pid];
        assert_eq!(command, &member.name);
        let stat = &if inherited_nice && member.name != "niced" {
            stat.replacen('N', "", 1)
        } else {
            stat.clone()
        };
        assert!(
            stat.starts_with(&member.stat),
            "{}: ps says {stat}",
            member.name
        );
        assert_eq!(
            stat.ends_with('+'),
            family.on_a_terminal,
            "{}: {stat}",
            member.name
        );
        let parent = if member.name == "vfork-child" {
            family.members[6].pid
        } else {
            family.leader
        };
        assert_eq!(*ppid, parent);
    }

    if family.on_a_terminal && inherited_nice {
        eprintln!(
            "note: running under nice, every process shows N: the book's \
             output (at niceness 0) is not compared"
        );
    } else if family.on_a_terminal {
        // The book shows the run on a terminal, as a reader would see it.
        let mut stand_ins = vec![4242];
        stand_ins.extend(4243..4251);
        let mut pids: Vec<i64> = family.pids().iter().map(|&pid| pid.into()).collect();
        let parent: i64 = real_rows[&family.leader].0.into();
        pids.push(parent);
        stand_ins.push(4200);
        let shown = realign(&lite.stdout_text(), 2, &pids, &stand_ins);
        check_output!("../../output/ps_lite.txt", &shown);
        let shown = realign(&(family.printed.join("\n") + "\n"), 1, &pids, &stand_ins);
        check_output!("../../output/states.txt", &shown);
    }
    family.end();
}

/// Renumbers the right-aligned PID columns (the first `columns` of them,
/// 7 wide) of a table's rows, keeping the alignment, and every PID in the
/// other lines.
fn realign(text: &str, columns: usize, pids: &[i64], stand_ins: &[i64]) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut rest = line;
        let mut fields = Vec::new();
        for _ in 0..columns {
            let trimmed = rest.trim_start();
            let end = trimmed.find(' ').unwrap_or(trimmed.len());
            match trimmed[..end].parse::<i64>() {
                Ok(pid) => {
                    let shown = pids
                        .iter()
                        .position(|&p| p == pid)
                        .map_or(pid, |i| stand_ins[i]);
                    fields.push(format!("{shown:>7}"));
                    rest = &trimmed[end..];
                }
                Err(_) => break,
            }
        }
        if fields.is_empty() {
            out.push_str(&renumber(line, pids, stand_ins));
        } else {
            out.push_str(&fields.join(" "));
            out.push_str(rest);
        }
        out.push('\n');
    }
    out
}

#[test]
fn pstree_lite_draws_the_same_tree_as_pstree() {
    if !have("pstree") {
        eprintln!("note: no `pstree` (apt-get install psmisc): comparison skipped");
        return;
    }
    let family = Family::start();
    let root = family.leader.to_string();
    for pids in [false, true] {
        let mut lite = Command::new(bin!("pstree_lite"));
        let mut real = Command::new("pstree");
        real.args(["-A", "-l", "-n", "-T"]);
        if pids {
            lite.arg("-p");
            real.arg("-p");
        }
        let lite = run(lite.arg(&root));
        let real = run(real.arg(&root));
        lite.assert_success();
        real.assert_success();
        assert_eq!(lite.stdout_text(), real.stdout_text());
        if !pids {
            check_output!("../../output/pstree_lite.txt", &lite.stdout_text());
        }
    }
    family.end();
}

#[test]
fn ps_lite_lists_every_process_that_ps_lists() {
    if !have("ps") {
        eprintln!("note: no `ps`: comparison skipped");
        return;
    }
    // Processes come and go between two snapshots: compare only those
    // that ps shows, unchanged, both before and after ps_lite ran.
    let ps = || run(Command::new("ps").args(["-e", "-o", "pid=,ppid=,stat=,comm="]));
    let before = rows(&ps().stdout_text());
    let lite = run(&mut Command::new(bin!("ps_lite")));
    lite.assert_success();
    let after = rows(&ps().stdout_text());
    let lite = rows(&lite.stdout_text());
    let mut compared = 0;
    for (pid, (ppid, _, command)) in &before {
        let Some((ppid_after, _, command_after)) = after.get(pid) else {
            continue;
        };
        if (ppid, command) != (ppid_after, command_after) {
            continue;
        }
        let (lite_ppid, _, lite_command) = lite
            .get(pid)
            .unwrap_or_else(|| panic!("ps_lite misses {pid}"));
        assert_eq!(lite_ppid, ppid, "process {pid}");
        // A kernel worker thread's name says what it is working on, and
        // changes from moment to moment: compare the others' names.
        if *ppid != 2 {
            assert_eq!(lite_command, command, "process {pid}");
        }
        compared += 1;
    }
    assert!(compared > 1, "nothing to compare");
}
