//! What the chapter's "From Python" notes say about Python's sockets,
//! `select`, `poll`, `epoll` and `selectors`, checked with the real
//! `python3`, in one run.

use std::process::Command;

use harness::run;

const PROGRAM: &str = r#"
import os, resource, select, selectors, socket, struct
print(select.POLLIN, select.POLLPRI, select.POLLOUT, select.POLLERR,
      select.POLLHUP, select.POLLNVAL, select.POLLRDHUP)
print(selectors.DefaultSelector.__name__)
a, b = socket.socketpair()
a.setblocking(False)
try:
    a.recv(1)
except BlockingIOError as err:
    print("setblocking(False):", type(err).__name__, err.errno)
a.settimeout(0.05)
try:
    a.recv(1)
except TimeoutError as err:
    print("settimeout:", type(err).__name__, err)
a.settimeout(0)
print("settimeout(0) blocking:", a.getblocking())
a.settimeout(None)
print("settimeout(None) blocking:", a.getblocking())
# select's exceptional list: urgent data
listener = socket.create_server(("127.0.0.1", 0))
client = socket.create_connection(listener.getsockname())
server, _ = listener.accept()
client.send(b"hello")
client.send(b"!", socket.MSG_OOB)
select.select([server], [], [], 5)
r, w, x = select.select([server], [], [server], 5)
print("urgent:", len(r), len(x), server.recv(1, socket.MSG_OOB), server.recv(16))
# an error (here a reset) is readable and writable, not exceptional
client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
client.close()
select.select([server], [], [], 5)
r, w, x = select.select([server], [server], [server], 0)
try:
    server.recv(1)
except ConnectionResetError:
    print("reset:", len(r), len(w), len(x), "ConnectionResetError")
# epoll is level-triggered by default
ep = select.epoll()
b.send(b"0123456789")
ep.register(a.fileno(), select.EPOLLIN)
print("epoll twice:", ep.poll(0) == ep.poll(0) == [(a.fileno(), select.EPOLLIN)])
p = select.poll()
try:
    p.unregister(a.fileno())
except KeyError:
    print("unregister unknown: KeyError")
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if hard > 1500:
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    high = os.dup2(a.fileno(), 1500)
    try:
        select.select([high], [], [], 0)
    except ValueError as err:
        print("select(1500):", err)
else:
    print("select(1500): skipped, the hard RLIMIT_NOFILE is", hard)
"#;

#[test]
fn python_behaves_as_the_from_python_notes_say() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("note: python3 not found; skipping (apt-get install python3)");
        return;
    }
    let out = run(Command::new("python3").args(["-c", PROGRAM]));
    out.assert_success();
    let text = out.stdout_text();
    let (checked, last) = text.trim_end().rsplit_once('\n').unwrap();
    assert_eq!(
        checked,
        "1 2 4 8 16 32 8192\n\
         EpollSelector\n\
         setblocking(False): BlockingIOError 11\n\
         settimeout: TimeoutError timed out\n\
         settimeout(0) blocking: False\n\
         settimeout(None) blocking: True\n\
         urgent: 1 1 b'!' b'hello'\n\
         reset: 1 1 0 ConnectionResetError\n\
         epoll twice: True\n\
         unregister unknown: KeyError"
    );
    if last.starts_with("select(1500): skipped") {
        eprintln!("note: {last}");
    } else {
        assert_eq!(
            last,
            "select(1500): filedescriptor out of range in select()"
        );
    }
}
