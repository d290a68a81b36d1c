//! Listings about message boundaries: the problem and two fixes.

use std::process::Command;

use harness::{check_output, run};

#[test]
fn two_writes_arrive_in_one_read() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_sticky")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(
        text.ends_with("one read: 11 bytes: \"firstsecond\"\n"),
        "{text}"
    );
    check_output!("../output/sticky.txt", &text);
}

#[test]
fn length_prefixed_frames_come_back_one_message_each_and_a_huge_header_is_refused() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_length_prefixed")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.starts_with("the frame for \"first\": 00 00 00 05 66 69 72 73 74\n"));
    assert!(text.contains("message: \"first\"\nmessage: \"second\"\nmessage: \"\"\n"));
    assert!(text.ends_with("error: a frame of 4294967295 bytes is over the limit of 65536\n"));
    check_output!("../output/length_prefixed.txt", &text);
}

#[test]
fn line_delimited_messages_come_back_one_each_and_a_long_line_is_refused() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_line_delimited")));
    out.assert_success();
    let text = out.stdout_text();
    assert!(text.contains("message: \"first\"\nmessage: \"second\"\nmessage: \"\"\n"));
    assert!(text.contains("cannot contain '\\n'"));
    assert!(text.ends_with("error: line longer than 16 bytes\n"));
    check_output!("../output/line_delimited.txt", &text);
}
