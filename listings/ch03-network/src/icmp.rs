//! ICMP echo messages (RFC 792), what `ping` sends and receives, and the
//! explanation a user needs when the kernel refuses an ICMP socket.

use std::io;

use crate::packet::{internet_checksum, ones_complement_sum};

pub const ECHO_REPLY: u8 = 0;
pub const ECHO_REQUEST: u8 = 8;

/// Where Linux keeps the range of group IDs allowed to open ICMP datagram
/// ("ping") sockets.
pub const PING_GROUP_RANGE: &str = "/proc/sys/net/ipv4/ping_group_range";

// ANCHOR: echo
/// An ICMP echo request or reply: type, code 0, checksum, identifier,
/// sequence number, then any data, which the reply carries back unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Echo<'a> {
    pub kind: u8,
    pub identifier: u16,
    pub sequence: u16,
    pub data: &'a [u8],
}

/// An echo request with its checksum filled in.
pub fn echo_request(identifier: u16, sequence: u16, data: &[u8]) -> Vec<u8> {
    let mut message = vec![ECHO_REQUEST, 0, 0, 0];
    message.extend(identifier.to_be_bytes());
    message.extend(sequence.to_be_bytes());
    message.extend(data);
    let checksum = internet_checksum(&[&message]);
    message[2..4].copy_from_slice(&checksum.to_be_bytes());
    message
}

/// Reads an echo request or reply, checking its length, code and checksum.
pub fn parse_echo(message: &[u8]) -> Result<Echo<'_>, String> {
    if message.len() < 8 {
        return Err(format!(
            "ICMP message of {} bytes is too short",
            message.len()
        ));
    }
    let (kind, code) = (message[0], message[1]);
    if (kind != ECHO_REPLY && kind != ECHO_REQUEST) || code != 0 {
        return Err(format!("ICMP type {kind} code {code} is not an echo"));
    }
    if ones_complement_sum(&[message]) != 0xffff {
        return Err("ICMP checksum is wrong".to_owned());
    }
    Ok(Echo {
        kind,
        identifier: u16::from_be_bytes([message[4], message[5]]),
        sequence: u16::from_be_bytes([message[6], message[7]]),
        data: &message[8..],
    })
}
// ANCHOR_END: echo

/// Parses the two numbers in `ping_group_range`, such as `"1\t0\n"`.
pub fn parse_group_range(text: &str) -> Option<(u32, u32)> {
    let mut numbers = text.split_whitespace().map(str::parse::<u32>);
    match (numbers.next(), numbers.next(), numbers.next()) {
        (Some(Ok(low)), Some(Ok(high)), None) => Some((low, high)),
        _ => None,
    }
}

// ANCHOR: explain
/// What to tell the user when `socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)`
/// fails with `err`, given the allowed group range (if it could be read)
/// and the caller's groups.
pub fn explain_socket_error(
    err: &io::Error,
    range: Option<(u32, u32)>,
    groups: &[u32],
) -> String {
    let mut text =
        format!("ping: cannot open an ICMP datagram socket: {err}\n");
    let refused =
        matches!(err.raw_os_error(), Some(libc::EACCES | libc::EPERM));
    if !refused {
        return text;
    }
    let inside = |(low, high): (u32, u32)| {
        groups.iter().any(|g| (low..=high).contains(g))
    };
    let groups = groups
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(" ");
    match range {
        Some((low, high)) if inside((low, high)) => text.push_str(&format!(
            "ping: your groups ({groups}) are inside net.ipv4.ping_group_range \
             ({low} {high}),\nping: so something else refused: a security module \
             or a seccomp filter.\n"
        )),
        Some((low, high)) => {
            let holds = if low > high {
                "no group at all".to_owned()
            } else {
                format!("groups {low} to {high}")
            };
            text.push_str(&format!(
                "ping: only groups in net.ipv4.ping_group_range may open one;\n\
                 ping: {PING_GROUP_RANGE} is \"{low} {high}\": {holds}.\n\
                 ping: your groups: {groups}\n\
                 ping: to allow every group until the next boot, run as root:\n\
                 ping:     sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"\n"
            ));
        }
        None => text.push_str(&format!(
            "ping: {PING_GROUP_RANGE} is unreadable: ICMP datagram sockets need \
             Linux 3.0 or later.\n"
        )),
    }
    text
}
// ANCHOR_END: explain

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_request_round_trips_through_parse_echo() {
        let message = echo_request(0x1234, 7, b"abc");
        assert_eq!(&message[..2], &[ECHO_REQUEST, 0]);
        let echo = parse_echo(&message).unwrap();
        assert_eq!(
            echo,
            Echo {
                kind: ECHO_REQUEST,
                identifier: 0x1234,
                sequence: 7,
                data: b"abc",
            }
        );
    }

    #[test]
    fn parse_echo_rejects_a_flipped_bit() {
        let mut message = echo_request(1, 1, b"data");
        message[9] ^= 0x01;
        assert_eq!(parse_echo(&message).unwrap_err(), "ICMP checksum is wrong");
    }

    #[test]
    fn group_range_reads_the_kernel_format() {
        assert_eq!(parse_group_range("1\t0\n"), Some((1, 0)));
        assert_eq!(parse_group_range("0 2147483647"), Some((0, 2147483647)));
        assert_eq!(parse_group_range("1"), None);
    }

    #[test]
    fn refusal_names_the_sysctl_and_how_to_change_it() {
        let err = io::Error::from_raw_os_error(libc::EACCES);
        let text = explain_socket_error(&err, Some((1, 0)), &[0]);
        assert_eq!(
            text,
            "ping: cannot open an ICMP datagram socket: Permission denied (os error 13)\n\
             ping: only groups in net.ipv4.ping_group_range may open one;\n\
             ping: /proc/sys/net/ipv4/ping_group_range is \"1 0\": no group at all.\n\
             ping: your groups: 0\n\
             ping: to allow every group until the next boot, run as root:\n\
             ping:     sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"\n"
        );
    }

    #[test]
    fn eperm_outside_the_range_is_explained_the_same_way() {
        let err = io::Error::from_raw_os_error(libc::EPERM);
        let text = explain_socket_error(&err, Some((100, 200)), &[1000, 27]);
        assert!(text.contains("\"100 200\": groups 100 to 200.\n"), "{text}");
        assert!(text.contains("ping: your groups: 1000 27\n"), "{text}");
        assert!(text.contains("sysctl -w net.ipv4.ping_group_range"));
    }

    #[test]
    fn refusal_inside_the_range_blames_something_else() {
        let err = io::Error::from_raw_os_error(libc::EACCES);
        let text = explain_socket_error(&err, Some((0, 10)), &[1000, 4]);
        assert!(text.contains("are inside net.ipv4.ping_group_range (0 10)"));
        assert!(!text.contains("sysctl -w"));
    }

    #[test]
    fn other_errors_are_reported_as_they_are() {
        let err = io::Error::from_raw_os_error(libc::EAFNOSUPPORT);
        let text = explain_socket_error(&err, Some((1, 0)), &[0]);
        assert_eq!(
            text,
            "ping: cannot open an ICMP datagram socket: \
             Address family not supported by protocol (os error 97)\n"
        );
    }
}
