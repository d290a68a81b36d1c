//! `bench_fileserver [--quick] [--rounds N]`: `fileserver`, nginx and
//! Python's `http.server` serve the same files on loopback, loaded by wrk
//! with keep-alive: files of 1 KiB, 64 KiB and 10 MiB, 10, 100 and 1,000
//! connections. Prints requests per second, transfer rate, p99 latency and
//! each server's requests per second as a multiple of nginx's, medians of
//! the rounds. nginx, wrk or python3 missing: its rows stay unmeasured and
//! stderr says how to install it. Run it with `cargo xtask bench fileserver`.

use std::env;
use std::fs;
use std::io::{self, BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{self, Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use benchkit::{Options, Table, median};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const COLUMNS: [&str; 4] = [
    "requests/s",
    "transfer (MB/s)",
    "p99 latency (ms)",
    "requests/s vs nginx (x)",
];

/// A server under test, killed and reaped when dropped.
struct Running {
    name: &'static str,
    child: Child,
    port: u16,
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

fn main() {
    let options = Options::from_args();
    let rounds = options.rounds;
    let seconds = options.pick(4, 1);
    let sizes: Vec<(&str, usize)> = options.pick(
        vec![("1 KiB", 1024), ("64 KiB", 64 * 1024), ("10 MiB", 10 << 20)],
        vec![("1 KiB", 1024)],
    );
    let connections: Vec<usize> = options.pick(vec![10, 100, 1000], vec![10]);

    let dir = env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| fail("cannot tell where this program is"));
    if !options.quick {
        build_release();
    }
    let site = tempdir();
    let root = site.join("root");
    fs::create_dir_all(&root).unwrap_or_else(|err| fail(&format!("{}: {err}", root.display())));
    for (label, size) in &sizes {
        let bytes: Vec<u8> = (0..*size).map(|i| (i % 251) as u8).collect();
        fs::write(root.join(file_name(label)), bytes).unwrap_or_else(|err| fail(&err.to_string()));
    }

    let wrk = find("wrk", "apt-get install wrk");
    let mut servers = Vec::new();
    servers.push(start_fileserver(&dir.join("fileserver"), &root));
    if let Some(nginx) = find("nginx", "apt-get install nginx-light") {
        servers.push(start_nginx(&nginx, &site, &root));
    }
    if let Some(python) = find("python3", "apt-get install python3") {
        servers.push(start_python(&python, &root));
    }

    let mut table = Table::new("server, file, connections", &COLUMNS);
    let rows = |server: &str| -> Vec<String> {
        let mut rows = Vec::new();
        for (label, _) in &sizes {
            for conns in &connections {
                rows.push(format!("{server}, {label}, {conns}"));
            }
        }
        rows
    };
    let Some(wrk) = wrk else {
        for name in ["fileserver", "nginx", "python http.server"] {
            for row in rows(name) {
                table.skip(&row);
            }
        }
        table.print(rounds);
        return;
    };
    // samples[server][config] = (requests/s, MB/s, p99 ms) per round.
    let configs: Vec<(&str, usize)> = sizes
        .iter()
        .flat_map(|(label, _)| connections.iter().map(move |&conns| (*label, conns)))
        .collect();
    let mut samples = vec![vec![Vec::new(); configs.len()]; servers.len()];
    for _ in 0..rounds {
        for (c, (label, conns)) in configs.iter().enumerate() {
            // Alternate the servers within each configuration, so that a
            // slow moment of the machine hurts all of them alike.
            for (s, server) in servers.iter().enumerate() {
                let url = format!("http://127.0.0.1:{}/{}", server.port, file_name(label));
                samples[s][c].push(run_wrk(&wrk, &url, *conns, seconds));
            }
        }
    }
    let nginx = servers.iter().position(|server| server.name == "nginx");
    let mut medians = vec![vec![(0.0, 0.0, 0.0); configs.len()]; servers.len()];
    for (s, per_config) in samples.iter().enumerate() {
        for (c, runs) in per_config.iter().enumerate() {
            let column = |pick: fn(&(f64, f64, f64)) -> f64| {
                median(&mut runs.iter().map(pick).collect::<Vec<_>>())
            };
            medians[s][c] = (column(|r| r.0), column(|r| r.1), column(|r| r.2));
        }
    }
    for name in ["fileserver", "nginx", "python http.server"] {
        let Some(s) = servers.iter().position(|server| server.name == name) else {
            for row in rows(name) {
                table.skip(&row);
            }
            continue;
        };
        for (c, (label, conns)) in configs.iter().enumerate() {
            let row = format!("{name}, {label}, {conns}");
            let (rps, mbs, p99) = medians[s][c];
            table.set(&row, COLUMNS[0], rps);
            table.set(&row, COLUMNS[1], mbs);
            table.set(&row, COLUMNS[2], p99);
            if let Some(n) = nginx
                && medians[n][c].0 > 0.0
            {
                table.set(&row, COLUMNS[3], rps / medians[n][c].0);
            }
        }
    }
    drop(servers);
    let _ = fs::remove_dir_all(&site);
    table.print(rounds);
}

fn file_name(label: &str) -> String {
    format!("{}.bin", label.replace(' ', ""))
}

/// One wrk run: (requests/s, MB/s, p99 in ms). Two threads, keep-alive.
fn run_wrk(wrk: &Path, url: &str, conns: usize, seconds: u64) -> (f64, f64, f64) {
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
    let rps: f64 = field("Requests/sec:").parse().unwrap_or(0.0);
    let transfer = bytes(field("Transfer/sec:")) / 1e6;
    let p99 = millis(field("99%"));
    (rps, transfer, p99)
}

/// `12.34MB` (wrk's units are powers of 1024) to bytes.
fn bytes(text: &str) -> f64 {
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
fn millis(text: &str) -> f64 {
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

fn split_unit(text: &str) -> (f64, &str) {
    let at = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let number = text[..at]
        .parse()
        .unwrap_or_else(|_| fail(&format!("not a number: {text:?}")));
    (number, &text[at..])
}

fn start_fileserver(bin: &Path, root: &Path) -> Running {
    let mut child = Command::new(bin)
        .arg("127.0.0.1:0")
        .arg(root)
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
        fail(&format!("fileserver said {line:?}"));
    };
    Running {
        name: "fileserver",
        child,
        port,
    }
}

/// nginx as this user, in the foreground, with everything it writes in
/// `site`: a configuration that is fair to it (a worker per core,
/// sendfile, no access log, keep-alive, an open file cache).
fn start_nginx(nginx: &Path, site: &Path, root: &Path) -> Running {
    let port = free_port();
    let d = site.display();
    let config = format!(
        "worker_processes auto;
worker_rlimit_nofile 8192;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 60;
    keepalive_requests 1000000;
    open_file_cache max=1000 inactive=60s;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
",
        root = root.display()
    );
    let conf = site.join("nginx.conf");
    fs::write(&conf, config).unwrap_or_else(|err| fail(&err.to_string()));
    let child = Command::new(nginx)
        .arg("-p")
        .arg(site)
        .arg("-e")
        .arg(site.join("error.log"))
        .arg("-c")
        .arg(&conf)
        .args(["-g", "daemon off;"])
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|err| fail(&format!("{}: {err}", nginx.display())));
    let running = Running {
        name: "nginx",
        child,
        port,
    };
    wait_for(&running);
    running
}

fn start_python(python: &Path, root: &Path) -> Running {
    let port = free_port();
    let child = Command::new(python)
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--directory",
        ])
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|err| fail(&format!("{}: {err}", python.display())));
    let running = Running {
        name: "python http.server",
        child,
        port,
    };
    wait_for(&running);
    running
}

/// A port nothing listens on now (the server binds it a moment later).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap_or_else(|err| fail(&format!("cannot find a free port: {err}")))
}

fn wait_for(server: &Running) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", server.port)).is_err() {
        if Instant::now() > deadline {
            fail(&format!(
                "{} never listened on port {}",
                server.name, server.port
            ));
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// The program on PATH, or `None` after saying how to install it.
fn find(name: &str, install: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    let found = env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file());
    if found.is_none() {
        eprintln!(
            "bench_fileserver: {name} not found, its rows stay unmeasured; install it with `{install}`"
        );
    }
    found
}

fn tempdir() -> PathBuf {
    let base = env::temp_dir().join(format!("bench_fileserver.{}", process::id()));
    fs::create_dir_all(&base).unwrap_or_else(|err| fail(&format!("{}: {err}", base.display())));
    base
}

/// Builds `fileserver` in release mode, so that it is not measured stale.
fn build_release() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building fileserver (release)");
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--package",
            "ch15-fileserver",
            "--bin",
            "fileserver",
        ])
        .current_dir(root)
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => fail(&format!("building fileserver failed ({status})")),
        Err(err) => fail(&format!("cannot run cargo: {err}")),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("bench_fileserver: {message}");
    process::exit(1);
}
