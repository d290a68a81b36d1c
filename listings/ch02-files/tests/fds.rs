use std::os::unix::process::CommandExt;
use std::process::Command;

use harness::{Normalizer, check_output, run};

/// Runs the fds listing as a shell runs `fds < /dev/null 2> /dev/null | cat`:
/// stdin and stderr on /dev/null, stdout a pipe, nothing else open.
fn run_fds(dir: &std::path::Path) -> harness::Output {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(r#"exec "$0" "$1" < /dev/null 2> /dev/null"#)
        .arg(env!("CARGO_BIN_EXE_fds"))
        .arg(dir);
    // SAFETY: close_range(2) and close(2) are async-signal-safe and touch
    // no memory. They close what the test runner may have inherited without
    // close-on-exec, which a fresh terminal would not pass on.
    unsafe {
        cmd.pre_exec(|| {
            if libc::syscall(libc::SYS_close_range, 3, libc::c_uint::MAX, 0) != 0 {
                // Kernels before 5.9 lack close_range: close one by one.
                for fd in 3..1024 {
                    libc::close(fd);
                }
            }
            Ok(())
        });
    }
    run(&mut cmd)
}

#[test]
fn fds_shows_0_1_2_and_reuses_the_lowest_free_number() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_fds(dir.path());
    out.assert_success();
    let text = out.stdout_text();
    let shown = Normalizer::new()
        .path(dir.path(), "/tmp/ch02-fds")
        .replace(r"pipe:\[\d+\]", "pipe:[40960]")
        .replace(r"/proc/\d+/fd", "/proc/4242/fd")
        .apply(&text);
    check_output!("../output/fds.txt", &shown);
    assert!(text.contains("a.txt is fd 3, b.txt is fd 4\n"));
    assert!(text.contains("after closing a.txt, c.txt is fd 3\n"));
}
