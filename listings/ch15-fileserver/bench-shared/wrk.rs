//! What both of chapter 15's benchmark suites need: servers started and
//! stopped, wrk run and its output read, release builds. Included by
//! `bench/fileserver.rs` and `bench/fileserver_path.rs` as `mod wrk`. It
//! lives outside `bench/`, where every file is a suite.

use std::env;
use std::fs;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{self, Child, Command, Stdio};
use std::thread;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// A server under test, killed and reaped when dropped.
pub struct Running {
    pub name: &'static str,
    pub child: Child,
    pub port: u16,
}

impl Drop for Running {
    fn drop(&mut self) {
        // SIGTERM, not SIGKILL: nginx's master stops its workers on
        // SIGTERM, while a killed master leaves them running.
        let pid = Pid::from_raw(self.child.id() as i32);
        let _ = kill(pid, Signal::SIGTERM);
        let _ = self.child.wait();
    }
}

pub fn file_name(label: &str) -> String {
    format!("{}.bin", label.replace(' ', ""))
}

/// One wrk run: (requests/s, MB/s, p99 in ms). Two threads, keep-alive.
pub fn run_wrk(wrk: &Path, url: &str, conns: usize, seconds: u64) -> (f64, f64, f64) {
    let output = Command::new(wrk)
        .args([
            "-t2",
            "-c",
            &conns.to_string(),
            "-d",
            &format!("{seconds}s"),
            "--timeout",
            "10s",
            "--latency",
            url,
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|err| fail(&format!("cannot run wrk: {err}")));
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        fail(&format!(
            "wrk failed on {url}:\n{text}{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let field = |prefix: &str| -> &str {
        text.lines()
            .map(str::trim)
            .find_map(|line| line.strip_prefix(prefix))
            .map(str::trim)
            .unwrap_or_else(|| fail(&format!("no {prefix:?} in wrk's output:\n{text}")))
    };
    // wrk counts every response it reads, a 404 or a 503 as well as a
    // 200: a server that answered errors would look fast. None may.
    if let Some(errors) = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("Non-2xx or 3xx responses:"))
    {
        fail(&format!(
            "{url} answered{errors} requests with an error status; its figures would count them"
        ));
    }
    // Timeouts and resets are worth knowing about, but an HTTP/1.0 server
    // (Python's) closes every connection, which wrk counts as read errors.
    if let Some(errors) = text.lines().find(|line| line.contains("Socket errors:")) {
        eprintln!("{url}, {conns} connections: {}", errors.trim());
    }
    let rps: f64 = field("Requests/sec:").parse().unwrap_or(0.0);
    let transfer = bytes(field("Transfer/sec:")) / 1e6;
    let p99 = millis(field("99%"));
    (rps, transfer, p99)
}

/// `12.34MB` (wrk's units are powers of 1024) to bytes.
pub fn bytes(text: &str) -> f64 {
    let (number, unit) = split_unit(text);
    let scale = match unit {
        "B" | "" => 1.0,
        "KB" => 1024.0,
        "MB" => 1024.0 * 1024.0,
        "GB" => 1024.0 * 1024.0 * 1024.0,
        _ => fail(&format!("unknown unit in {text:?}")),
    };
    number * scale
}

/// `512.00us`, `1.23ms`, `2.00s`, `1.00m` to milliseconds.
pub fn millis(text: &str) -> f64 {
    let (number, unit) = split_unit(text);
    let scale = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        _ => fail(&format!("unknown unit in {text:?}")),
    };
    number * scale
}

pub fn split_unit(text: &str) -> (f64, &str) {
    let at = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let number = text[..at]
        .parse()
        .unwrap_or_else(|_| fail(&format!("not a number: {text:?}")));
    (number, &text[at..])
}

/// Starts one of this package's servers, `BIN 127.0.0.1:0 ROOT ARGS…`,
/// and reads its port from the `listening on` line.
pub fn start_server(name: &'static str, bin: &Path, root: &Path, args: &[&str]) -> Running {
    let mut child = Command::new(bin)
        .arg("127.0.0.1:0")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| fail(&format!("{}: {err}", bin.display())));
    let stdout = child.stdout.take().expect("piped");
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    let _ = reader.read_line(&mut line);
    // Keep reading: it prints more when it stops.
    thread::spawn(move || io::copy(&mut reader, &mut io::sink()));
    let port = line
        .trim()
        .strip_prefix("listening on 127.0.0.1:")
        .and_then(|port| port.parse().ok());
    let Some(port) = port else {
        let _ = child.kill();
        let _ = child.wait();
        fail(&format!("{name} said {line:?}"));
    };
    Running { name, child, port }
}

/// The program on PATH, or `None` after saying how to install it.
pub fn find(name: &str, install: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    let found = env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file());
    if found.is_none() {
        eprintln!(
            "{}: {name} not found, its rows stay unmeasured; install it with `{install}`",
            program()
        );
    }
    found
}

/// A fresh directory for the files served, named after this program.
pub fn tempdir() -> PathBuf {
    let base = env::temp_dir().join(format!("{}.{}", program(), process::id()));
    fs::create_dir_all(&base).unwrap_or_else(|err| fail(&format!("{}: {err}", base.display())));
    base
}

/// Builds `bins` in release mode, so that they are not measured stale.
pub fn build_release(bins: &[&str]) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building {} (release)", bins.join(", "));
    let mut command = Command::new(cargo);
    command.args(["build", "--release", "--package", "ch15-fileserver"]);
    for bin in bins {
        command.args(["--bin", bin]);
    }
    match command.current_dir(root).status() {
        Ok(status) if status.success() => {}
        Ok(status) => fail(&format!("building {} failed ({status})", bins.join(", "))),
        Err(err) => fail(&format!("cannot run cargo: {err}")),
    }
}

/// The directory this program lives in, where its servers are built too.
pub fn exe_dir() -> PathBuf {
    env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| fail("cannot tell where this program is"))
}

fn program() -> String {
    env::args()
        .next()
        .and_then(|arg0| {
            Path::new(&arg0)
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "bench".into())
}

pub fn fail(message: &str) -> ! {
    eprintln!("{}: {message}", program());
    process::exit(1);
}
