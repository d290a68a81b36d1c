//! What the page says Python does, checked against `python3`.

use crate::common::python_eval;

#[test]
fn pythons_integers_have_no_width() {
    let results = python_eval(
        "",
        &[
            "-5 >> 1",
            "~5",
            "1 << 100",
            "-5 // 2",
            "1 << -1",
            "0x80 << 1",
        ],
    );
    assert_eq!(
        results,
        [
            "-3",
            "-6",
            "1267650600228229401496703205376",
            "-3",
            "ValueError: negative shift count",
            "256",
        ]
    );
}

#[test]
fn selects_third_list_is_for_urgent_data_not_errors() {
    let code = "import os, select, socket
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
print('reader gone:', writer in w, writer in x)";
    assert_eq!(
        crate::common::python(&["-c", code]),
        "urgent byte: False True True\nreader gone: True False\n"
    );
}
