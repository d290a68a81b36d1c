//! Exercise 3.1: Listening sockets, from the kernel's tables
//! Edit: exercises/ch03-network/src/bin/listening.rs
//! Hint: Split each line of /proc/net/tcp and /proc/net/tcp6 on whitespace: the second field is the local address, the fourth the state, and you want state 0A; the tenth is the socket's inode, which tells a line the kernel repeated from a second socket on the same address. An address is groups of 8 hex digits; parse each group with `u32::from_str_radix(group, 16)` and turn it back into bytes with `to_ne_bytes()`, because the kernel printed it in the CPU's byte order. Four bytes make an `Ipv4Addr`, sixteen an `Ipv6Addr`; the port is plain hex. Collect `SocketAddr`s and `sort()` them.

use std::fmt::Write as _;
use std::fs;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::process::Command;

use harness::{Output, exercise_bin, run};

/// Runs the exercise and returns the addresses it printed, after checking
/// that it exits with status 0, that every line is an address written as
/// Rust writes a `SocketAddr`, and that the lines are sorted.
#[track_caller]
fn listening() -> Vec<SocketAddr> {
    let out = run(&mut Command::new(exercise_bin!("listening")));
    assert_eq!(out.code(), Some(0), "`listening` should exit with 0\n{out}");
    parse_output(&out.stdout_text(), &out.to_string())
}

/// The addresses in `listening`'s output; `context` is for messages.
#[track_caller]
fn parse_output(text: &str, context: &str) -> Vec<SocketAddr> {
    let addrs: Vec<SocketAddr> = text
        .lines()
        .map(|line| {
            let addr: SocketAddr = line.parse().unwrap_or_else(|_| {
                panic!(
                    "`{line}` is not a socket address such as 127.0.0.1:8080 \
                     or [::1]:8080\n{context}"
                )
            });
            assert_eq!(
                addr.to_string(),
                line,
                "write each address as Rust's `SocketAddr` displays it\n{context}"
            );
            addr
        })
        .collect();
    assert!(
        addrs.is_sorted(),
        "the lines are not sorted as `Vec<SocketAddr>::sort` sorts them\n{context}"
    );
    addrs
}

/// `listening`'s output once it shows every address in `wanted`, or its
/// third output. The kernel's tables are not a snapshot: while other tests
/// open and close sockets, one pass can miss a line (or repeat one, which
/// `listening` must cope with itself), so a missing address gets two more
/// chances before the test reports it.
#[track_caller]
fn listening_with(wanted: &[SocketAddr]) -> Vec<SocketAddr> {
    let mut addrs = listening();
    for _ in 0..2 {
        if wanted.iter().all(|&addr| count(&addrs, addr) > 0) {
            break;
        }
        addrs = listening();
    }
    addrs
}

fn count(addrs: &[SocketAddr], wanted: SocketAddr) -> usize {
    addrs.iter().filter(|&&addr| addr == wanted).count()
}

/// Whether `program` is on PATH.
fn have(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| dir.join(program).is_file())
    })
}

/// The local addresses in the output of `ss -Hltn`, sorted, written as
/// Rust writes them. ss shows a dual-stack `[::]` listener as `*`, and
/// adds `%lo` to the address of a socket bound to a device; the kernel's
/// tables have neither.
fn parse_ss(text: &str) -> Vec<SocketAddr> {
    let mut addrs: Vec<SocketAddr> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let local = line
                .split_whitespace()
                .nth(3)
                .unwrap_or_else(|| panic!("unexpected line from ss: {line:?}"));
            let (host, port) = local.rsplit_once(':').unwrap();
            let host = match host.split_once('%') {
                // `127.0.0.1%lo`, `[::1]%lo`, or `[fe80::1%lo]`.
                Some((addr, device)) => match device.find(']') {
                    Some(close) => format!("{addr}{}", &device[close..]),
                    None => addr.to_owned(),
                },
                None => host.to_owned(),
            };
            let host = if host == "*" { "[::]".to_owned() } else { host };
            format!("{host}:{port}").parse().unwrap_or_else(|_| {
                panic!("cannot read the local address {local:?} of ss's line {line:?}")
            })
        })
        .collect();
    addrs.sort();
    addrs
}

/// What `ss -Hltn` says is listening here, or `None` without ss.
fn ss_listening() -> Option<Vec<SocketAddr>> {
    if !have("ss") {
        return None;
    }
    let out = run(Command::new("ss").arg("-Hltn"));
    assert_eq!(out.code(), Some(0), "ss -Hltn failed\n{out}");
    Some(parse_ss(&out.stdout_text()))
}

/// Two sorted lists, as what only each one has.
fn difference(ours: &[SocketAddr], theirs: &[SocketAddr]) -> String {
    let mut only_ours = ours.to_vec();
    let mut only_theirs = Vec::new();
    for addr in theirs {
        match only_ours.iter().position(|ours| ours == addr) {
            Some(at) => {
                only_ours.remove(at);
            }
            None => only_theirs.push(*addr),
        }
    }
    format!(
        "only in listening's output: {only_ours:?}\nonly in ss's: {only_theirs:?}"
    )
}

#[test]
fn prints_a_listener_on_ipv4_loopback() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let addrs = listening_with(&[addr]);
    assert_eq!(
        count(&addrs, addr),
        1,
        "{addr} is listening; it should be printed once: {addrs:?}"
    );
}

#[test]
fn prints_ipv6_listeners_in_brackets() {
    match TcpListener::bind("[::1]:0") {
        Ok(listener) => {
            let addr = listener.local_addr().unwrap();
            let addrs = listening_with(&[addr]);
            assert_eq!(
                count(&addrs, addr),
                1,
                "{addr} is listening; it should be printed once: {addrs:?}"
            );
        }
        Err(err) => {
            listening();
            eprintln!(
                "note: cannot listen on [::1] here ({err}); \
                 skipping the IPv6 part of this test"
            );
        }
    }
}

#[test]
fn leaves_out_sockets_that_are_not_listening() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let client = TcpStream::connect(addr).unwrap();
    let (_accepted, _) = listener.accept().unwrap();
    let client_addr = client.local_addr().unwrap();
    // The accepted socket has the listener's address too, but it is
    // ESTABLISHED: the address must show up once, for the listener.
    let addrs = listening_with(&[addr]);
    assert_eq!(count(&addrs, addr), 1, "{addr} once: {addrs:?}");
    assert_eq!(
        count(&addrs, client_addr),
        0,
        "{client_addr} is a connected client, not a listener: {addrs:?}"
    );
    // Without its listener, the connection's port is not listening at all.
    drop(listener);
    let addrs = listening();
    assert_eq!(
        count(&addrs, addr),
        0,
        "{addr} no longer listens; only its connection is left: {addrs:?}"
    );
}

#[test]
fn sorts_ipv4_before_ipv6_then_by_address_then_port() {
    let mut ours: Vec<TcpListener> =
        ["127.0.0.3:0", "127.0.0.2:0", "127.0.0.2:0"]
            .into_iter()
            .map(|addr| TcpListener::bind(addr).unwrap())
            .collect();
    ours.extend(TcpListener::bind("[::1]:0"));
    let mut expected: Vec<SocketAddr> = ours
        .iter()
        .map(|listener| listener.local_addr().unwrap())
        .collect();
    expected.sort();
    let addrs = listening_with(&expected);
    let shown: Vec<SocketAddr> = addrs
        .iter()
        .copied()
        .filter(|addr| expected.contains(addr))
        .collect();
    assert_eq!(shown, expected, "all of ours, in this order: {addrs:?}");
}

/// The script that runs in a private network namespace: it listens on a
/// known set of addresses, then runs `listening` (its first argument) and
/// `ss -Hltn` one after the other, with nothing else in the namespace that
/// could open or close a socket in between.
const NAMESPACE_SCRIPT: &str = r#"
import socket, subprocess, sys
keep = []
def listen(family, host, port=0, v6only=None, reuseport=False, device=False):
    s = socket.socket(family, socket.SOCK_STREAM)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    if reuseport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    if device:
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"lo")
        except OSError as err:
            print("note: SO_BINDTODEVICE refused:", err, file=sys.stderr)
    s.bind((host, port))
    s.listen()
    keep.append(s)
    return s
def connect(listener):
    client = socket.create_connection(listener.getsockname()[:2])
    keep.extend([client, listener.accept()[0]])
v4, v6 = socket.AF_INET, socket.AF_INET6
connect(listen(v4, "127.0.0.1"))
listen(v4, "0.0.0.0")
listen(v4, "192.0.2.1")
listen(v4, "127.0.0.1", device=True)
shared = listen(v4, "127.0.0.2", reuseport=True)
listen(v4, "127.0.0.2", shared.getsockname()[1], reuseport=True)
gone = listen(v4, "127.0.0.3")
connect(gone)
keep.remove(gone)
gone.close()
try:
    connect(listen(v6, "::1"))
    listen(v6, "::", v6only=1)
    listen(v6, "::", v6only=0)
    listen(v6, "::ffff:127.0.0.1", v6only=0)
    listen(v6, "::1", device=True)
    listen(v6, "2001:db8::1")
except OSError as err:
    print("note: not every IPv6 listener could be made:", err, file=sys.stderr)
ours = subprocess.run([sys.argv[1]], capture_output=True, timeout=20)
ss = subprocess.run(["ss", "-Hltn"], capture_output=True, timeout=20)
sys.stdout.write(f"status {ours.returncode}\n{ours.stdout.decode()}--- ss\n")
sys.stdout.write(ss.stdout.decode())
sys.stderr.write(ours.stderr.decode() + ss.stderr.decode())
"#;

#[test]
fn agrees_with_ss_in_a_private_network_namespace() {
    // First on this machine, so the test fails without a working program.
    listening();
    for tool in ["unshare", "ip", "python3", "ss"] {
        if !have(tool) {
            eprintln!("note: no {tool} here; skipping the comparison with ss");
            return;
        }
    }
    const FLAGS: [&str; 2] = ["--map-root-user", "--net"];
    let probe = run(Command::new("unshare").args(FLAGS).arg("true"));
    if !probe.status.success() {
        eprintln!(
            "note: cannot create a private user+network namespace here ({}); \
             skipping the comparison with ss",
            probe.stderr_text().trim()
        );
        return;
    }
    let setup = "ip link set lo up && ip address add 192.0.2.1/24 dev lo && \
                 { ip -6 address add 2001:db8::1/128 dev lo 2>/dev/null || :; } && \
                 exec python3 -c \"$LISTENING_SCRIPT\" \"$0\"";
    let out = run(Command::new("unshare")
        .args(FLAGS)
        .args(["sh", "-c", setup, exercise_bin!("listening")])
        .env("LISTENING_SCRIPT", NAMESPACE_SCRIPT));
    assert_eq!(out.code(), Some(0), "the namespace script failed\n{out}");
    let text = out.stdout_text();
    let (ours, ss) = text.split_once("--- ss\n").expect("both outputs");
    let (status, ours) = ours.split_once('\n').unwrap();
    assert_eq!(
        status, "status 0",
        "`listening` failed in the namespace\n{out}"
    );
    let ours = parse_output(ours, &out.to_string());
    let ss = parse_ss(ss);
    assert!(
        ss.len() >= 8,
        "the namespace should hold our listeners\n{out}"
    );
    assert_eq!(
        ours,
        ss,
        "`listening` and `ss -Hltn` disagree on the same sockets\n{}\n{out}",
        difference(&ours, &ss)
    );
}

#[test]
fn agrees_with_ss_on_this_machine() {
    // Other tests (and programs) open and close listeners all the time, so
    // compare only when ss sees the same set before and after our run, and
    // fail only when the two disagree on a quiet machine three times.
    let mut disagreements = Vec::new();
    for _ in 0..20 {
        let Some(before) = ss_listening() else {
            listening();
            eprintln!("note: no ss here; skipping the comparison with ss");
            return;
        };
        let ours = listening();
        if ss_listening().as_ref() != Some(&before) {
            continue;
        }
        if ours == before {
            return;
        }
        disagreements.push(difference(&ours, &before));
        if disagreements.len() == 3 {
            panic!(
                "`listening` and `ss -Hltn` disagree:\n{}",
                disagreements.join("\n---\n")
            );
        }
    }
    eprintln!(
        "note: the listening sockets of this machine kept changing; \
         no quiet moment to compare with ss"
    );
}

/// One line of a table in the kernel's format, for the address `local`
/// in `state`: each 32-bit word of the address in the CPU's byte order.
fn table_line(slot: usize, local: &str, state: u8) -> String {
    socket_line(slot, local, state, 40000 + slot)
}

/// The same, for the socket with the inode `inode`.
fn socket_line(slot: usize, local: &str, state: u8, inode: usize) -> String {
    let local: SocketAddr = local.parse().unwrap();
    let bytes = match local.ip() {
        IpAddr::V4(ip) => ip.octets().to_vec(),
        IpAddr::V6(ip) => ip.octets().to_vec(),
    };
    let mut hex = String::new();
    for word in bytes.chunks(4) {
        let word = u32::from_ne_bytes(word.try_into().unwrap());
        let _ = write!(hex, "{word:08X}");
    }
    let zeros = "0".repeat(hex.len());
    format!(
        "{slot:4}: {hex}:{:04X} {zeros}:0000 {state:02X} 00000000:00000000 \
         00:00000000 00000000  1000        0 {inode} 1 0000000000000000 100 0 0 10 0",
        local.port(),
    )
}

const TCP_HEADING: &str = "  sl  local_address rem_address   st tx_queue rx_queue \
    tr tm->when retrnsmt   uid  timeout inode";
const TCP6_HEADING: &str = "  sl  local_address                         \
    remote_address                        st tx_queue rx_queue tr tm->when \
    retrnsmt   uid  timeout inode";

/// Runs `listening` with `files` (name, text) in place of the kernel's
/// tables: a private user and mount namespace binds a temp dir over the
/// process's own `/proc/PID/net`, which `/proc/net` points to. `None` when
/// this machine does not allow that.
fn with_tables(files: &[(&str, String)]) -> Option<Output> {
    if !have("unshare") {
        eprintln!(
            "note: no unshare here; skipping the test with made-up tables"
        );
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = r#"mount --bind "$1" /proc/$$/net && exec "$0""#;
    let probe = run(Command::new("unshare")
        .args(["--map-root-user", "--mount", "sh", "-c", script, "true"])
        .arg(dir.path()));
    if !probe.status.success() {
        eprintln!(
            "note: cannot bind a directory over /proc/PID/net in a private \
             mount namespace here ({}); skipping the test with made-up tables",
            probe.stderr_text().trim()
        );
        return None;
    }
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    Some(run(Command::new("unshare")
        .args(["--map-root-user", "--mount", "sh", "-c", script])
        .arg(exercise_bin!("listening"))
        .arg(dir.path())))
}

/// A table of IPv4 sockets and one of IPv6 sockets, with addresses whose
/// bytes are all different, so that any byte-order mistake shows.
fn made_up_tables() -> (String, String) {
    let tcp = [
        TCP_HEADING.to_owned(),
        table_line(0, "192.0.2.1:80", 0x0A),
        table_line(1, "0.0.0.0:22", 0x0A),
        table_line(2, "10.1.2.3:443", 0x01), // ESTABLISHED
        table_line(3, "192.0.2.1:8080", 0x0A),
        table_line(4, "198.51.100.7:5432", 0x06), // TIME_WAIT
        table_line(5, "127.0.0.1:631", 0x0A),
    ];
    let tcp6 = [
        TCP6_HEADING.to_owned(),
        table_line(0, "[2001:db8:1:2:3:4:5:6]:443", 0x0A),
        table_line(1, "[::]:22", 0x0A),
        table_line(2, "[fe80::1234:5678]:8080", 0x0A),
        table_line(3, "[::ffff:192.0.2.9]:25", 0x0A),
        table_line(4, "[::1]:9000", 0x01),
        table_line(5, "[2001:db8::1]:7", 0x08), // CLOSE_WAIT
    ];
    (tcp.join("\n") + "\n", tcp6.join("\n") + "\n")
}

#[test]
fn decodes_every_address_of_tables_it_is_given() {
    listening();
    let (tcp, tcp6) = made_up_tables();
    let Some(out) = with_tables(&[("tcp", tcp), ("tcp6", tcp6)]) else {
        return;
    };
    assert_eq!(out.code(), Some(0), "{out}");
    assert_eq!(
        out.stdout_text(),
        "0.0.0.0:22\n127.0.0.1:631\n192.0.2.1:80\n192.0.2.1:8080\n\
         [::]:22\n[::ffff:192.0.2.9]:25\n[2001:db8:1:2:3:4:5:6]:443\n\
         [fe80::1234:5678]:8080\n",
        "the tables were made up for this test:\n{out}"
    );
}

#[test]
fn prints_each_socket_once_even_when_the_kernel_repeats_its_line() {
    listening();
    // The kernel writes its table a page per read and finds its place
    // again for the next read; when sockets come and go in between, a line
    // can come out twice, under a new slot number but with its inode.
    // Two SO_REUSEPORT listeners share an address but not an inode.
    let tcp = [
        TCP_HEADING.to_owned(),
        socket_line(0, "127.0.0.1:631", 0x0A, 7001),
        socket_line(1, "192.0.2.1:80", 0x0A, 7002),
        socket_line(2, "192.0.2.1:80", 0x0A, 7003),
        socket_line(3, "192.0.2.1:80", 0x0A, 7002),
        socket_line(4, "127.0.0.1:631", 0x0A, 7001),
    ];
    let tcp = tcp.join("\n") + "\n";
    let Some(out) = with_tables(&[("tcp", tcp)]) else {
        return;
    };
    assert_eq!(out.code(), Some(0), "{out}");
    assert_eq!(
        out.stdout_text(),
        "127.0.0.1:631\n192.0.2.1:80\n192.0.2.1:80\n",
        "inodes 7001 and 7002 are listed twice, but they are two sockets, \
         and 7003 shares 7002's address through SO_REUSEPORT: three lines\n{out}"
    );
}

#[test]
fn needs_no_tcp6_but_reports_other_errors_with_status_1() {
    listening();
    let (tcp, _) = made_up_tables();
    // A kernel without IPv6 has no tcp6 table: that is no IPv6 socket.
    let Some(out) = with_tables(&[("tcp", tcp.clone())]) else {
        return;
    };
    assert_eq!(out.code(), Some(0), "{out}");
    assert_eq!(
        out.stdout_text(),
        "0.0.0.0:22\n127.0.0.1:631\n192.0.2.1:80\n192.0.2.1:8080\n",
        "{out}"
    );
    // No tcp table, or a line that is not a socket, is an error.
    let garbled = format!("{tcp}   6: not a socket\n");
    for (what, files) in [
        ("no /proc/net/tcp", vec![]),
        ("a garbled /proc/net/tcp", vec![("tcp", garbled)]),
    ] {
        let out = with_tables(&files).unwrap();
        assert_eq!(out.code(), Some(1), "{what}: exit status 1\n{out}");
        assert!(!out.stderr_text().is_empty(), "{what}: say why\n{out}");
    }
}
