//! Listings 12-4 and 12-5: the notes' five attributes, as a bare integer
//! and as a bitflags type.

use harness::check_output;

use crate::bin;
use crate::common::{Job, python, python_lines, stdout_of};

pub fn python_jobs() -> Vec<Job> {
    vec![
        Job::script("attributes.py", "attributes.py", &[]),
        Job::eval(
            "and is an int",
            "RICH, SKILLED = 4, 2",
            &[
                "11 & RICH",
                "11 & SKILLED",
                "bool(11 & SKILLED)",
                "~SKILLED",
            ],
        ),
        Job::eval("IntFlag", INT_FLAG, &INT_FLAG_EXPRESSIONS),
    ]
}

#[test]
fn attributes_output_matches_the_book() {
    let text = stdout_of(bin!("attributes"), &[]);
    check_output!("../../output/attributes.txt", &text);
    assert!(text.starts_with("all five             0b11111 = 31"));
}

#[test]
fn the_notes_python_prints_the_same_numbers() {
    let rust = stdout_of(bin!("attributes"), &[]);
    let py = python("attributes.py");
    check_output!("../../output/attributes_python.txt", &py);
    assert_eq!(rust, py.replace("True", "true").replace("False", "false"));
}

#[test]
fn python_and_answers_with_the_bit_not_a_bool() {
    // The notes: object.attr & 有钱 --> True|False. It is an int.
    assert_eq!(python_lines("and is an int"), ["0", "2", "True", "-3"]);
}

#[test]
fn attribute_flags_output_matches_the_book() {
    check_output!(
        "../../output/attribute_flags.txt",
        &stdout_of(bin!("attribute_flags"), &[])
    );
}

const INT_FLAG: &str = "import enum\n\
    class Attr(enum.IntFlag):\n    TALL = 1; SKILLED = 2; RICH = 4; PASSIONATE = 8; HUMOROUS = 16\n\
    class Perm(enum.IntFlag):\n    R = 4; W = 2; X = 1\n\
    class Plain(enum.Flag):\n    A = 1; B = 2\n\
    p = Attr.SKILLED | Attr.PASSIONATE";

const INT_FLAG_EXPRESSIONS: [&str; 8] = [
    "p",
    "Attr.RICH in p",
    "p & Attr.RICH",
    "~p",
    "Attr(31)",
    "Attr(45)",
    "Attr.TALL | Perm.R",
    "Plain.A | Perm.R",
];

#[test]
fn python_int_flag_behaves_as_the_note_says() {
    assert_eq!(
        python_lines("IntFlag"),
        [
            "<Attr.SKILLED|PASSIONATE: 10>",
            "False",
            "<Attr: 0>",
            "<Attr.TALL|RICH|HUMOROUS: 21>",
            "<Attr.TALL|SKILLED|RICH|PASSIONATE|HUMOROUS: 31>",
            "<Attr.TALL|RICH|PASSIONATE|32: 45>",
            "<Attr.TALL|RICH: 5>",
            "TypeError: unsupported operand type(s) for |: 'Plain' and 'Perm'",
        ]
    );
}
