//! `bench_fileserver [--quick] [--rounds N]`: `fileserver`, nginx and
//! Python's `http.server` serve the same files on loopback, loaded by wrk
//! with keep-alive: files of 1 KiB, 64 KiB and 10 MiB, 10, 100 and 1,000
//! connections. Prints requests per second, transfer rate, p99 latency and
//! each server's requests per second as a multiple of nginx's, medians of
//! the rounds. nginx, wrk or python3 missing: its rows stay unmeasured and
//! stderr says how to install it. Run it with `cargo xtask bench fileserver`.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use benchkit::{Options, Table, median};

#[path = "../bench-shared/wrk.rs"]
mod wrk;
use wrk::{Running, build_release, exe_dir, fail, file_name, find, run_wrk, start_server, tempdir};

const COLUMNS: [&str; 4] = [
    "requests/s",
    "transfer (MB/s)",
    "p99 latency (ms)",
    "requests/s vs nginx (x)",
];
fn main() {
    let options = Options::from_args();
    let rounds = options.rounds;
    let seconds = options.pick(4, 1);
    let sizes: Vec<(&str, usize)> = options.pick(
        vec![("1 KiB", 1024), ("64 KiB", 64 * 1024), ("10 MiB", 10 << 20)],
        vec![("1 KiB", 1024)],
    );
    let connections: Vec<usize> = options.pick(vec![10, 100, 1000], vec![10]);

    let dir = exe_dir();
    if !options.quick {
        build_release(&["fileserver"]);
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
    servers.push(start_server(
        "fileserver",
        &dir.join("fileserver"),
        &root,
        &[],
    ));
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

/// nginx in the foreground, with everything it writes in `site`: a
/// configuration that is fair to it (a worker per core, sendfile, no
/// access log, keep-alive, an open file cache). Started by root, its
/// workers run as `nobody`, which can read the files: `tempdir` makes the
/// site with mode 0755 (a 403 would stop the suite, see `run_wrk`).
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
