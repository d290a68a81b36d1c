//! The kernel's table of IPv4 TCP sockets, `/proc/net/tcp` (IPv6 sockets
//! are in `/proc/net/tcp6`). `ss` and `netstat` show the same table.
//!
//! A line looks like this (the columns after the state are left out):
//!
//! ```text
//!   sl  local_address rem_address   st ...
//!    0: 0100007F:1EC6 00000000:0000 0A ...
//! ```
//!
//! The address is the 4 bytes of the IPv4 address printed as one 32-bit
//! number in the CPU's byte order: on x86 and most ARM machines (little
//! endian) 127.0.0.1 comes out as `0100007F`. The port is printed in
//! hexadecimal in the usual order: `1EC6` is 7878.

use std::fs;
use std::io;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: state
/// The kernel's TCP states (include/net/tcp_states.h), by their code in
/// the `st` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcpState {
    Established,
    SynSent,
    SynReceived,
    FinWait1,
    FinWait2,
    TimeWait,
    Closed,
    CloseWait,
    LastAck,
    Listen,
    Closing,
    /// A connection request the listener is still handshaking with.
    NewSynReceived,
    Other(u8),
}

impl TcpState {
    pub fn from_code(code: u8) -> TcpState {
        match code {
            0x01 => TcpState::Established,
            0x02 => TcpState::SynSent,
            0x03 => TcpState::SynReceived,
            0x04 => TcpState::FinWait1,
            0x05 => TcpState::FinWait2,
            0x06 => TcpState::TimeWait,
            0x07 => TcpState::Closed,
            0x08 => TcpState::CloseWait,
            0x09 => TcpState::LastAck,
            0x0A => TcpState::Listen,
            0x0B => TcpState::Closing,
            0x0C => TcpState::NewSynReceived,
            other => TcpState::Other(other),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TcpState::Established => "ESTABLISHED",
            TcpState::SynSent => "SYN_SENT",
            TcpState::SynReceived => "SYN_RECEIVED",
            TcpState::FinWait1 => "FIN_WAIT_1",
            TcpState::FinWait2 => "FIN_WAIT_2",
            TcpState::TimeWait => "TIME_WAIT",
            TcpState::Closed => "CLOSED",
            TcpState::CloseWait => "CLOSE_WAIT",
            TcpState::LastAck => "LAST_ACK",
            TcpState::Listen => "LISTEN",
            TcpState::Closing => "CLOSING",
            TcpState::NewSynReceived => "NEW_SYN_RECV",
            TcpState::Other(_) => "unknown",
        }
    }
}
// ANCHOR_END: state

/// One line of `/proc/net/tcp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpSocket {
    pub local: SocketAddrV4,
    pub remote: SocketAddrV4,
    pub state: TcpState,
    /// Clock ticks (`sysconf(_SC_CLK_TCK)` per second) until the socket's
    /// timer fires; for a socket in TIME_WAIT, until the kernel drops it.
    pub timer_ticks: u64,
    /// The address and state columns as the kernel printed them.
    pub raw: String,
}

// ANCHOR: parse
/// Decodes `0100007F:1EC6` into 127.0.0.1:7878.
pub fn parse_address(field: &str) -> Option<SocketAddrV4> {
    let (address, port) = field.split_once(':')?;
    if address.len() != 8 {
        return None;
    }
    // The kernel printed the address's 4 bytes as a native-endian number:
    // turning the number back into native-endian bytes gives them back in
    // network order, whatever this CPU's byte order is.
    let number = u32::from_str_radix(address, 16).ok()?;
    let ip = Ipv4Addr::from(number.to_ne_bytes());
    let port = u16::from_str_radix(port, 16).ok()?;
    Some(SocketAddrV4::new(ip, port))
}

/// Parses one line of the table, such as
/// `0: 0100007F:1EC6 00000000:0000 0A 00000000:00000000 00:00000000 ...`.
fn parse_line(line: &str) -> Option<TcpSocket> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [_slot, local, remote, state, _queues, timer, ..] = fields[..] else {
        return None;
    };
    // The timer column is `kind:ticks`, both in hexadecimal.
    let (_kind, ticks) = timer.split_once(':')?;
    Some(TcpSocket {
        local: parse_address(local)?,
        remote: parse_address(remote)?,
        state: TcpState::from_code(u8::from_str_radix(state, 16).ok()?),
        timer_ticks: u64::from_str_radix(ticks, 16).ok()?,
        raw: format!("{local} {remote} {state}"),
    })
}

/// Parses the text of `/proc/net/tcp`: a heading, then one socket a line.
pub fn parse_tcp_table(text: &str) -> Result<Vec<TcpSocket>, String> {
    let lines = text.lines().skip(1).filter(|line| !line.trim().is_empty());
    lines
        .map(|line| {
            parse_line(line).ok_or_else(|| {
                format!("unexpected line in /proc/net/tcp: {line:?}")
            })
        })
        .collect()
}
// ANCHOR_END: parse

pub fn read_tcp_table() -> io::Result<Vec<TcpSocket>> {
    let text = fs::read_to_string("/proc/net/tcp")?;
    parse_tcp_table(&text)
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
}

// ANCHOR: wait
/// Reads `/proc/net/tcp` until `wanted` finds what it looks for in the
/// table, or `timeout` passes.
///
/// This polls, because nothing else can: the kernel sends no event when a
/// socket changes state, and a socket in TIME_WAIT has no file descriptor
/// left to wait on. The interval is 1 ms and the deadline bounds the loop.
pub fn wait_for<T>(
    timeout: Duration,
    what: &str,
    mut wanted: impl FnMut(&[TcpSocket]) -> Option<T>,
) -> io::Result<T> {
    let deadline = Instant::now() + timeout;
    loop {
        let table = read_tcp_table()?;
        if let Some(found) = wanted(&table) {
            return Ok(found);
        }
        if Instant::now() >= deadline {
            let msg =
                format!("{what}: not seen in /proc/net/tcp within {timeout:?}");
            return Err(io::Error::new(io::ErrorKind::TimedOut, msg));
        }
        thread::sleep(Duration::from_millis(1));
    }
}

/// The socket whose local and remote addresses are `local` and `remote`.
pub fn find(
    table: &[TcpSocket],
    local: SocketAddrV4,
    remote: SocketAddrV4,
) -> Option<&TcpSocket> {
    table
        .iter()
        .find(|socket| socket.local == local && socket.remote == remote)
}

/// Waits until the socket from `local` to `remote` is in `state`.
pub fn wait_for_state(
    timeout: Duration,
    local: SocketAddrV4,
    remote: SocketAddrV4,
    state: TcpState,
) -> io::Result<TcpSocket> {
    let what = format!("{local} -> {remote} in {}", state.name());
    wait_for(timeout, &what, |table| {
        find(table, local, remote)
            .filter(|socket| socket.state == state)
            .cloned()
    })
}
// ANCHOR_END: wait

#[cfg(test)]
mod tests {
    use super::*;

    // Three lines of a real /proc/net/tcp on an x86-64 machine: a listener
    // on 127.0.0.1:36743 and both ends of one connection to it.
    const TABLE: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:8F87 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 27243 1 00000000c65bf444 100 0 0 10 0
   2: 0100007F:9536 0100007F:8F87 01 00000000:00000000 00:00000000 00000000     0        0 27245 2 000000003b1cdcde 20 0 0 10 -1
   3: 0100007F:8F87 0100007F:9536 06 00000000:00000000 03:00001770 00000000     0        0 0 3 000000000eb1790d
";

    #[test]
    fn parse_address_reads_the_kernels_hex() {
        if cfg!(target_endian = "little") {
            assert_eq!(
                parse_address("0100007F:1EC6"),
                Some("127.0.0.1:7878".parse().unwrap())
            );
            assert_eq!(
                parse_address("0202000A:0050"),
                Some("10.0.2.2:80".parse().unwrap())
            );
        }
        assert_eq!(
            parse_address("00000000:0000"),
            Some("0.0.0.0:0".parse().unwrap())
        );
        assert_eq!(parse_address("0100007F"), None);
        assert_eq!(parse_address("0100007G:0050"), None);
    }

    #[test]
    fn parse_tcp_table_reads_addresses_and_states() {
        let table = parse_tcp_table(TABLE).unwrap();
        let summary: Vec<(String, String, &str)> = table
            .iter()
            .map(|s| {
                (s.local.to_string(), s.remote.to_string(), s.state.name())
            })
            .collect();
        if cfg!(target_endian = "little") {
            assert_eq!(
                summary,
                [
                    ("127.0.0.1:36743".into(), "0.0.0.0:0".into(), "LISTEN"),
                    (
                        "127.0.0.1:38198".into(),
                        "127.0.0.1:36743".into(),
                        "ESTABLISHED"
                    ),
                    (
                        "127.0.0.1:36743".into(),
                        "127.0.0.1:38198".into(),
                        "TIME_WAIT"
                    ),
                ]
            );
        }
        assert_eq!(table[0].raw, "0100007F:8F87 00000000:0000 0A");
        // TIME_WAIT's timer: 0x1770 = 6000 ticks of 1/100 s, 60 seconds.
        assert_eq!(table[2].timer_ticks, 6000);
    }

    #[test]
    fn every_state_code_has_its_name() {
        let names: Vec<&str> = (1..=13)
            .map(|code| TcpState::from_code(code).name())
            .collect();
        assert_eq!(
            names,
            [
                "ESTABLISHED",
                "SYN_SENT",
                "SYN_RECEIVED",
                "FIN_WAIT_1",
                "FIN_WAIT_2",
                "TIME_WAIT",
                "CLOSED",
                "CLOSE_WAIT",
                "LAST_ACK",
                "LISTEN",
                "CLOSING",
                "NEW_SYN_RECV",
                "unknown",
            ]
        );
    }

    #[test]
    fn a_malformed_line_is_an_error_not_a_panic() {
        let err = parse_tcp_table("heading\n   0: nonsense\n").unwrap_err();
        assert!(err.contains("nonsense"), "{err}");
    }
}
