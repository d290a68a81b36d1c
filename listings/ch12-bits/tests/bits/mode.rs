//! Listing 12-8: the umask, permission bits and the file type bits of
//! st_mode, compared with `stat` and Python's `stat` module.

use std::fs;
use std::path::Path;
use std::process::Command;

use harness::{check_output, run};

use crate::bin;
use crate::common::{Job, python};

/// Python makes the same seven kinds of file as the listing, the same way,
/// under the same umask, and describes them with its `stat` module.
const PY_MODES: &str = "import os, socket, stat, tempfile
os.umask(0o022)
with tempfile.TemporaryDirectory() as d:
    j = lambda name: os.path.join(d, name)
    os.close(os.open(j('file'), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    os.mkdir(j('dir'), 0o777)
    os.symlink('file', j('link'))
    os.mkfifo(j('fifo'), 0o666)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(j('socket'))
    for name in ['file', 'dir', 'link', 'fifo', 'socket', '/dev/null', '/tmp']:
        m = os.lstat(j(name)).st_mode
        print(name, format(m, 'x'), stat.filemode(m), oct(stat.S_IFMT(m)))
    listener.close()";

pub fn python_jobs() -> Vec<Job> {
    vec![Job::code("filemode", PY_MODES, &[])]
}

/// Runs `mode_bits` in `dir` with the umask set to `umask` first.
fn mode_bits(dir: &Path, umask: &str) -> String {
    let out = run(Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$1\""))
        .arg(bin!("mode_bits"))
        .arg(dir));
    out.assert_success();
    out.stdout_text()
}

/// The table's rows: (name, hex st_mode, filemode, `& S_IFREG` column).
fn rows(text: &str) -> Vec<(String, String, String, String)> {
    text.lines()
        .skip_while(|line| !line.starts_with("name"))
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            (f[0].into(), f[1].into(), f[4].into(), f[5].into())
        })
        .collect()
}

#[test]
fn mode_bits_output_matches_the_book() {
    let dir = tempfile::tempdir().unwrap();
    check_output!("../../output/mode_bits.txt", &mode_bits(dir.path(), "022"));
}

#[test]
fn the_umask_clears_bits_of_the_mode_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let text = mode_bits(dir.path(), "077");
    assert!(text.starts_with("umask: 0o077\n"), "{text}");
    assert!(text.contains("file created with 0o666: 0o600 = 0o666 & !0o077\n"));
    assert!(text.contains("dir created with 0o777:  0o700 = 0o777 & !0o077\n"));
    let dir = tempfile::tempdir().unwrap();
    let text = mode_bits(dir.path(), "002");
    assert!(text.contains("file created with 0o666: 0o664 = 0o666 & !0o002\n"));
}

#[test]
fn every_mode_agrees_with_stat_and_pythons_filemode() {
    let dir = tempfile::tempdir().unwrap();
    let text = mode_bits(dir.path(), "022");
    let rows = rows(&text);
    assert_eq!(rows.len(), 7, "{text}");
    let paths: Vec<String> = rows
        .iter()
        .map(|(name, ..)| {
            let path = dir.path().join(name); // an absolute name stays as it is
            path.to_string_lossy().into_owned()
        })
        .collect();
    // GNU stat's %f is the raw mode in hex; it does not follow links.
    let stat = run(Command::new("stat").args(["-c", "%f"]).args(&paths));
    stat.assert_success();
    let py = python("filemode");
    let stat_text = stat.stdout_text();
    assert_eq!(stat_text.lines().count(), rows.len());
    assert_eq!(py.lines().count(), rows.len(), "{py}");
    for ((name, hex, filemode, _), (stat_hex, py)) in
        rows.iter().zip(stat_text.lines().zip(py.lines()))
    {
        assert_eq!(stat_hex, hex, "{name}");
        // name, hex st_mode, stat.filemode, oct(stat.S_IFMT)
        let py: Vec<&str> = py.split(' ').collect();
        assert_eq!(py[..3], [name.as_str(), hex, filemode], "{name}");
        let mode = u32::from_str_radix(hex, 16).unwrap();
        let py_type = u32::from_str_radix(&py[3][2..], 8).unwrap();
        assert_eq!(py_type, mode & libc::S_IFMT, "{name}");
    }
}

#[test]
fn testing_the_type_with_a_single_bit_is_wrong_for_links_and_sockets() {
    let dir = tempfile::tempdir().unwrap();
    let text = mode_bits(dir.path(), "022");
    let wrong: Vec<String> = rows(&text)
        .into_iter()
        .filter(|row| row.3 == "true")
        .map(|row| row.0)
        .collect();
    assert_eq!(wrong, ["file", "link", "socket"]);
}

#[test]
fn without_a_directory_mode_bits_cleans_up_after_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(Command::new(bin!("mode_bits")).env("TMPDIR", tmp.path()));
    out.assert_success();
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn proc_self_status_shows_the_umask_without_changing_it() {
    let out = run(Command::new("sh")
        .arg("-c")
        .arg("umask 027 && grep '^Umask:' /proc/self/status"));
    out.assert_success();
    assert_eq!(out.stdout_text(), "Umask:\t0027\n");
}
