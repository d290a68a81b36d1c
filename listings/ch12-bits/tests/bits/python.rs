//! What the page says Python does, checked against `python3`.

use crate::common::{Job, python, python_lines};

pub fn python_jobs() -> Vec<Job> {
    vec![
        Job::eval(
            "no width",
            "",
            &[
                "-5 >> 1",
                "~5",
                "1 << 100",
                "-5 // 2",
                "1 << -1",
                "0x80 << 1",
                "1 >> 100",
                "-1 >> 100",
            ],
        ),
        Job::code("select's third list", PY_SELECT, &[]),
        Job::eval(
            "bases",
            "",
            &[
                "bin(-5)",
                "format(-5, '#010b')",
                "format(-5 & 0xff, '08b')",
                "format(5, '08b')",
                "f'{5:#010b}'",
                "oct(8)",
                "hex(255)",
                "format(255, 'X')",
                "int('101', 2)",
                "int('0b101', 2)",
                "int('1_01', 2)",
                "int(' 101 ', 2)",
                "int('11111011', 2)",
                "eval('010')",
            ],
        ),
        Job::eval(
            "bit methods",
            "import os, socket",
            &[
                "(176).bit_count()",
                "(176).bit_length()",
                "(-5).bit_count()",
                "(-5).bit_length()",
                "176 & -176",
                "176 & 175",
                "socket.htonl(0x12345678)",
                "socket.ntohl(socket.htonl(0x12345678)) == 0x12345678",
                "os.O_CREAT",
            ],
        ),
    ]
}

#[test]
fn pythons_integers_have_no_width() {
    assert_eq!(
        python_lines("no width"),
        [
            "-3",
            "-6",
            "1267650600228229401496703205376",
            "-3",
            "ValueError: negative shift count",
            "256",
            "0",
            "-1",
        ]
    );
}

/// An urgent byte lands in select's third list; a pipe whose reader is
/// gone lands in the write list, not the third.
const PY_SELECT: &str = "import os, select, socket
listener = socket.socket()
listener.bind(('127.0.0.1', 0))
listener.listen()
client = socket.create_connection(listener.getsockname())
server, _ = listener.accept()
client.send(b'!', socket.MSG_OOB)
select.select([], [], [server], 5)  # wait until it has arrived
r, w, x = select.select([server], [server], [server], 0)
print('urgent byte:', server in r, server in w, server in x)
reader, writer = os.pipe()
os.close(reader)
r, w, x = select.select([], [writer], [writer], 5)
print('reader gone:', writer in w, writer in x)
for s in (server, client, listener):
    s.close()
os.close(writer)";

#[test]
fn selects_third_list_is_for_urgent_data_not_errors() {
    assert_eq!(
        python("select's third list"),
        "urgent byte: False True True\nreader gone: True False\n"
    );
}

#[test]
fn pythons_bases_as_the_page_shows_them() {
    assert_eq!(
        python_lines("bases"),
        [
            "'-0b101'",
            "'-0b0000101'",
            "'11111011'",
            "'00000101'",
            "'0b00000101'",
            "'0o10'",
            "'0xff'",
            "'FF'",
            "5",
            "5",
            "5",
            "5",
            "251",
            "SyntaxError: leading zeros in decimal integer literals are not \
             permitted; use an 0o prefix for octal integers (<string>, line 1)",
        ]
    );
}

#[test]
fn pythons_bit_methods_as_the_page_shows_them() {
    assert_eq!(
        python_lines("bit methods"),
        [
            "3",
            "8",
            "2",
            "3",
            "16",
            "160",
            &0x1234_5678_u32.to_be().to_string(), // htonl is to_be
            "True",
            "64",
        ]
    );
}
