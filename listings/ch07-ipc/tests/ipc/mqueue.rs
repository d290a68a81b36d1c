//! POSIX message queues: Python's Queue API, persistence between processes,
//! the system's limits, and what the tests leave behind.

use std::fs;
use std::os::fd::{AsRawFd, FromRawFd};
use std::process::Command;

use harness::{Normalizer, check_output, run};
use nix::mqueue::{MQ_OFlag, MqAttr, MqdT, mq_close, mq_open, mq_unlink};
use nix::sys::stat::Mode;

use crate::bin;
use crate::common::{
    Cleanup, assert_nothing_left, has_cap_sys_resource, have, queue_exists, run_forking,
    unprivileged,
};

#[test]
fn a_message_queue_does_what_pythons_queue_does() {
    let (out, pid) = run_forking(&mut Command::new(bin!("mq_queue")));
    let _cleanup = Cleanup(pid);
    out.assert_success();
    let text = out.stdout_text();
    assert!(
        text.contains("put 3: qsize 3, empty false, full true\n"),
        "{text}"
    );
    assert!(text.contains("put, block=False: EAGAIN"), "{text}");
    assert!(text.contains("put, timeout=0.2: ETIMEDOUT"), "{text}");
    // Priority 7 overtakes the two messages of priority 0 sent before it.
    assert!(
        text.contains("get: \"urgent\" (priority 7)\nget: \"second\" (priority 0)\n"),
        "{text}"
    );
    assert!(text.contains("get, timeout=0.2: ETIMEDOUT"), "{text}");
    assert!(text.contains("get into 63 bytes: EMSGSIZE"), "{text}");
    assert_nothing_left(pid);
    check_output!("../../output/mq_queue.txt", &text);
}

#[test]
fn a_message_queue_outlives_the_processes_that_use_it_until_unlinked() {
    let name = format!("/ch07-tool-{}", std::process::id());
    let _unlink = Unlink(name.clone());
    let tool = |args: &[&str]| {
        let out = run(Command::new(bin!("mq_tool")).args(args));
        let text = Normalizer::new()
            .replace(&name, "/ch07-demo")
            .apply(&out.stdout_text());
        let errors = Normalizer::new()
            .replace(&name, "/ch07-demo")
            .apply(&out.stderr_text());
        (out.code(), text + &errors)
    };
    // Each command is a new process; the queue is the only thing they share.
    let (code, sent) = tool(&["send", &name, "hello", "你好"]);
    assert_eq!(code, Some(0), "{sent}");
    assert!(
        queue_exists(&name),
        "the queue outlived the process that made it"
    );
    let (_, stat) = tool(&["stat", &name]);
    assert_eq!(
        stat,
        "/ch07-demo: 2 of 8 messages, at most 128 bytes each\n"
    );
    let (_, received) = tool(&["receive", &name]);
    assert_eq!(received, "received \"hello\"\nreceived \"你好\"\n");
    let (_, again) = tool(&["receive", &name]);
    assert_eq!(again, "", "messages are read once");
    let (code, unlinked) = tool(&["unlink", &name]);
    assert_eq!((code, unlinked.as_str()), (Some(0), ""));
    assert!(!queue_exists(&name));
    let (code, gone) = tool(&["stat", &name]);
    assert_eq!(code, Some(1));
    assert_eq!(
        gone,
        "mq_tool: stat /ch07-demo: No such file or directory (os error 2)\n"
    );
    check_output!("../../output/mq_tool_send.txt", &sent);
    check_output!("../../output/mq_tool_stat.txt", &stat);
    check_output!("../../output/mq_tool_receive.txt", &received);
    check_output!("../../output/mq_tool_gone.txt", &gone);
}

#[test]
fn a_full_queue_refuses_a_send_without_blocking_and_names_need_one_slash() {
    let name = format!("/ch07-full-{}", std::process::id());
    let _unlink = Unlink(name.clone());
    let messages: Vec<String> = (1..=9).map(|n| n.to_string()).collect();
    let mut args = vec!["send", name.as_str()];
    args.extend(messages.iter().map(String::as_str));
    let out = run(Command::new(bin!("mq_tool")).args(&args));
    assert_eq!(out.code(), Some(1));
    assert!(
        out.stdout_text().ends_with("sent \"8\"\n"),
        "{}",
        out.stdout_text()
    );
    assert!(
        out.stderr_text()
            .contains("Resource temporarily unavailable (os error 11)")
    );
    // glibc wants one leading slash and no other.
    let out = run(Command::new(bin!("mq_tool")).args(["send", "no-slash", "x"]));
    assert!(out.stderr_text().contains("Invalid argument (os error 22)"));
    let out = run(Command::new(bin!("mq_tool")).args(["send", "/two/slashes", "x"]));
    assert!(
        out.stderr_text()
            .contains("Permission denied (os error 13)")
    );
}

#[test]
fn queue_limits_refuse_more_than_msg_max_without_cap_sys_resource() {
    let Some(mut cmd) = unprivileged(bin!("mq_limits")) else {
        return;
    };
    let (out, pid) = run_forking(&mut cmd);
    let _cleanup = Cleanup(pid);
    out.assert_success();
    let text = out.stdout_text();
    let msg_max: i64 = read_number("/proc/sys/fs/mqueue/msg_max");
    let msgsize_max: i64 = read_number("/proc/sys/fs/mqueue/msgsize_max");
    assert!(
        text.contains(&format!(
            "maxmsg {msg_max}, msgsize {msgsize_max}: created\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("maxmsg {}: EINVAL", msg_max + 1)),
        "{text}"
    );
    assert!(
        text.contains(&format!("msgsize {}: EINVAL", msgsize_max + 1)),
        "{text}"
    );
    assert!(text.contains(": EMFILE"), "{text}");
    assert_nothing_left(pid);
    // The book shows the kernel's stock limits.
    let shown = Normalizer::new()
        .replace(
            r"msg_max \d+, msgsize_max \d+, queues_max \d+",
            "msg_max 10, msgsize_max 8192, queues_max 256",
        )
        .replace(r"RLIMIT_MSGQUEUE: \d+", "RLIMIT_MSGQUEUE: 819200")
        .replace(&format!(r"\b{msg_max}\b"), "10")
        .replace(&format!(r"\b{}\b", msg_max + 1), "11")
        .replace(&format!(r"\b{msgsize_max}\b"), "8192")
        .replace(&format!(r"\b{}\b", msgsize_max + 1), "8193")
        .apply(&text);
    check_output!("../../output/mq_limits.txt", &shown);
}

#[test]
fn this_process_exceeds_msg_max_only_with_cap_sys_resource() {
    let (out, pid) = run_forking(&mut Command::new(bin!("mq_limits")));
    let _cleanup = Cleanup(pid);
    out.assert_success();
    let text = out.stdout_text();
    let msg_max: i64 = read_number("/proc/sys/fs/mqueue/msg_max");
    let line = format!("maxmsg {}: ", msg_max + 1);
    let expected = if has_cap_sys_resource() {
        "created"
    } else {
        "EINVAL" // a container may take CAP_SYS_RESOURCE even from root
    };
    assert!(text.contains(&format!("{line}{expected}")), "{text}");
    assert_nothing_left(pid);
}

#[test]
fn nix_message_queue_descriptors_stay_open_until_mq_close() {
    let name = format!("/ch07-leak-{}", std::process::id());
    let _unlink = Unlink(name.clone());
    let attr = MqAttr::new(0, 1, 16, 0);
    let flags = MQ_OFlag::O_CREAT | MQ_OFlag::O_RDWR;
    let fd = {
        let queue = mq_open(name.as_str(), flags, Mode::S_IRUSR, Some(&attr)).unwrap();
        queue.as_raw_fd()
    }; // `queue` goes out of scope here, but nix 0.32's MqdT has no Drop
    let link = fs::read_link(format!("/proc/self/fd/{fd}")).unwrap();
    assert_eq!(link.to_str(), Some(name.as_str()), "still our queue");
    // SAFETY: the descriptor is still open and nobody else owns it.
    mq_close(unsafe { MqdT::from_raw_fd(fd) }).unwrap();
}

#[test]
fn python_queue_raises_full_and_empty_where_mq_returns_eagain_and_etimedout() {
    if !have("python3") {
        eprintln!("note: no python3; Python's Queue not checked");
        return;
    }
    let script = "
import multiprocessing as mp, queue
q = mp.Queue(2)
q.put(1); q.put(2)
print(q.qsize(), q.full())
try:
    q.put(3, block=False)
except queue.Full:
    print('Full')
print(q.get(), q.get())
try:
    q.get(timeout=0.1)
except queue.Empty:
    print('Empty')
# Not a POSIX queue: a pipe, two locks and a semaphore (and a thread).
print(type(q._reader).__name__, type(q._rlock).__name__, type(q._wlock).__name__,
      type(q._sem).__name__)
";
    let out = run(Command::new("python3").args(["-c", script]));
    out.assert_success();
    assert_eq!(
        out.stdout_text(),
        "2 True\nFull\n1 2\nEmpty\nConnection Lock Lock BoundedSemaphore\n"
    );
}

fn read_number(path: &str) -> i64 {
    fs::read_to_string(path).unwrap().trim().parse().unwrap()
}

/// Removes a queue this test made, also when it fails.
struct Unlink(String);

impl Drop for Unlink {
    fn drop(&mut self) {
        let _ = mq_unlink(self.0.as_str());
    }
}

#[test]
fn message_queue_descriptors_are_close_on_exec_without_asking() {
    let name = format!("/ch07-cloexec-{}", std::process::id());
    let _unlink = Unlink(name.clone());
    let attr = MqAttr::new(0, 1, 16, 0);
    let flags = MQ_OFlag::O_CREAT | MQ_OFlag::O_RDWR; // no O_CLOEXEC
    let queue = mq_open(name.as_str(), flags, Mode::S_IRUSR, Some(&attr)).unwrap();
    // SAFETY: F_GETFD on an open descriptor.
    let fd_flags = unsafe { libc::fcntl(queue.as_raw_fd(), libc::F_GETFD) };
    assert_eq!(fd_flags & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
    mq_close(queue).unwrap();
}

#[test]
fn the_mqueue_file_system_shows_bytes_waiting_and_rm_unlinks() {
    if !crate::common::is_root() || !have("unshare") {
        eprintln!("note: mounting mqueue needs root and unshare; /dev/mqueue not checked");
        return;
    }
    let name = format!("/ch07-mqfs-{}", std::process::id());
    let _unlink = Unlink(name.clone());
    let sent = run(Command::new(bin!("mq_tool")).args(["send", &name, "hello", "你好"]));
    sent.assert_success();
    // A private mount namespace, and a temporary mount point: nothing of
    // this mount is visible outside the test.
    let dir = tempfile::tempdir().unwrap();
    let script = r#"mount -t mqueue none "$1" && cat "$1/$2" && rm "$1/$2""#;
    let out = run(Command::new("unshare")
        .args(["-m", "sh", "-c", script, "sh"])
        .arg(dir.path())
        .arg(&name[1..]));
    if !out.status.success() && out.stderr_text().contains("mount") {
        eprintln!(
            "note: cannot mount mqueue here: {}",
            out.stderr_text().trim()
        );
        return;
    }
    out.assert_success();
    let text = out.stdout_text();
    // 5 bytes of "hello" and 6 of "你好": bytes, not messages.
    assert!(text.starts_with("QSIZE:11 "), "{text}");
    assert!(!queue_exists(&name), "rm removed the queue");
}
