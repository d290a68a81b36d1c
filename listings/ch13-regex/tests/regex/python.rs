//! The chapter's claims about Python's `re`, checked against `python3`.

use std::process::Command;

use harness::run;

use crate::{Job, python, python_versions};

pub fn python_jobs() -> Vec<Job> {
    vec![
        Job::code("claims", CLAIMS, Vec::new()),
        Job::code("re.T", RE_T, Vec::new()),
        Job::code("code points", CODE_POINTS, Vec::new()),
    ]
}

/// Each line asserts one sentence of the chapter; the script prints `ok`.
const CLAIMS: &str = r#"
import re, warnings

def raises(exception, function, *args):
    try:
        function(*args)
    except exception:
        return True
    return False

# Alternation: the first alternative that matches, not the longest.
assert re.findall("a|ab", "ab") == ["a"]
# A match's span counts characters.
assert re.search("汉字", "学汉字，写汉字").span() == (1, 3)
assert re.search("abc", "汉字abc").span() == (2, 5)
# $ also matches before a final newline; \Z does not; fullmatch is exact.
assert re.search(r"\d$", "5\n")
assert not re.search(r"\d\Z", "5\n")
assert re.search(r"^\d+$", "12\n") and not re.fullmatch(r"\d+", "12\n")
# match tries only the start, even with re.M.
assert re.match(r"(?m)^b", "a\nb") is None and re.search(r"(?m)^b", "a\nb")
# pos is not slicing: ^ does not match there.
assert re.compile(r"^\d").search("1a2", 2) is None
# Quantifiers: {,n}, a literal {, "multiple repeat", possessive a*+.
assert re.findall("o{,2}", "ooo") == ["oo", "o", ""]
assert re.findall("x{", "x{") == ["x{"]
assert raises(re.error, re.compile, "a**")
assert re.fullmatch("a*+a", "aa") is None  # possessive: gives nothing back
# Named groups: (?P<name>) only; the notes' (?p<name>) and (?<name>) fail.
assert raises(re.error, re.compile, "(?p<year>a)")
assert raises(re.error, re.compile, "(?<year>a)")
# findall returns the groups when there are any.
assert re.findall(r"(ab)+", "abab") == ["ab"]
# The capitals are the opposites.
assert re.findall(r"\D+", "a1b22c") == ["a", "b", "c"]
assert re.findall(r"\W+", "a, b!c") == [", ", "!"]
assert re.findall(r"\S+", "汉字 and\tmore") == ["汉字", "and", "more"]
assert re.findall(r"\bcat\b", "cat concat cat's") == ["cat", "cat"]
assert re.findall(r"\Bcat", "concat cat") == ["cat"]
# int() reads any decimal digit.
assert int("٣٤") == 34 and re.findall(r"\d+", "price: ٣٤") == ["٣٤"]
# "\b" is a backspace; r"\b" and "\\b" are a word boundary.
assert "\b" == "\x08" and r"\b" == "\\b"
# Flags.
assert raises(ValueError, re.compile, "a", re.L)
assert re.compile(b"a", re.L)
assert raises(ValueError, re.compile, "a", re.A | re.U)
assert re.findall(r"(?x)[ ]", "a b") == [" "]
assert re.fullmatch(r"(?x)a[#]b", "a#b")  # a class keeps its #
assert re.findall("(?x)a\tb\n", "ab") == ["ab"]
assert re.findall(r"(?x)a b # comment", "ab") == ["ab"]
assert re.fullmatch(r"(?i)k", "\u212a") and not re.fullmatch(r"(?ai)k", "\u212a")
assert re.fullmatch(r"(?i)ß", "ẞ") and not re.fullmatch(r"(?i)ß", "SS")
assert re.fullmatch(r"(?i)i", "ı") and re.fullmatch(r"(?i)i", "İ")
assert re.findall(r"(?a)\w+", "héllo") == ["h", "llo"]
# Classes: [[ and && in a class are plain characters, with a FutureWarning.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    assert re.findall("[a&&b]+", "a&&b") == ["a&&b"]
    assert re.findall("[[a]+", "[a") == ["[a"]
    assert re.findall("[a-z--aeiou]+", "b-!") == ["b-"]
    assert re.findall("[a~~b]+", "a~b") == ["a~b"]
assert sum(issubclass(w.category, FutureWarning) for w in caught) == 4
assert raises(re.error, re.compile, r"\p{Han}")
# A bytes pattern's classes are ASCII; os.fsencode undoes the surrogates.
assert re.findall(rb"\w+", "é1".encode()) == [b"1"]
import os
assert os.fsencode(os.fsdecode(b"caf\xe9.log")) == b"caf\xe9.log"
# Replacements and empty matches (3.7 and later).
assert re.sub(r"(\d)", r"\1a", "a1b2") == "a1ab2a"
assert re.sub("x*", "-", "abxd") == "-a-b--d-"
assert re.split("x*", "axb") == ["", "a", "", "b", ""]
assert re.split(r"(\s+)", "a  b\tc") == ["a", "  ", "b", "\t", "c"]
assert re.split(",", "a,b,c", maxsplit=1) == ["a", "b,c"]
assert re.split(",", "a,b,c", maxsplit=0) == ["a", "b", "c"]
assert raises(re.error, re.sub, r"(\d)", r"\2", "1")
# lastindex: the group that closed last.
assert re.match(r"(a(b))", "ab").lastindex == 1
assert re.match(r"(a)(b)?", "a").lastindex == 1
# The cache that makes re.search(pattern, s) in a loop cheap.
assert re._MAXCACHE == 512
# Escaping.
assert re.escape("1+1=2?") == r"1\+1=2\?"
print("ok")
"#;

#[test]
fn the_chapters_claims_about_python_re_hold() {
    assert_eq!(python("claims"), "ok\n");
}

const RE_T: &str = r#"
import re, warnings
warnings.simplefilter("error")
if not hasattr(re, "T"):
    print("absent")
else:
    try:
        re.compile("a", re.T)
        print("accepted")
    except DeprecationWarning as warning:
        print("deprecated:", warning)
"#;

#[test]
fn re_t_warns_in_python_3_11_and_is_gone_from_3_13() {
    let ((major, minor), _) = python_versions();
    let said = python("re.T");
    match (major, minor) {
        (3, 11 | 12) => assert!(
            said.starts_with(
                "deprecated: The re.TEMPLATE/re.T flag is deprecated"
            ),
            "{said}"
        ),
        (3, 13..) => assert_eq!(said, "absent\n"),
        _ => eprintln!("note: Python {major}.{minor}: re.T says {said}"),
    }
}

/// Python's `\w`, `\s` and `\d`, one hexadecimal digit per code point
/// below U+30000: bit 0 `\w`, bit 1 `\s`, bit 2 `\d`, bit 3 "not in this
/// Python's Unicode tables" (category Cn); `-` for a surrogate.
const CODE_POINTS: &str = r#"
import re, sys, unicodedata
w, s, d = re.compile(r"\w"), re.compile(r"\s"), re.compile(r"\d")
out = []
for cp in range(0x30000):
    if 0xD800 <= cp < 0xE000:
        out.append("-")
        continue
    c = chr(cp)
    bits = (1 if w.match(c) else 0) | (2 if s.match(c) else 0) | (4 if d.match(c) else 0)
    if unicodedata.category(c) == "Cn":
        bits |= 8
    out.append("%x" % bits)
sys.stdout.write("".join(out))
"#;

/// The class `py_re` writes for a Python class escape such as `\w`, as a
/// regex matching exactly one character of it.
fn translated(class: &str) -> regex::Regex {
    let out =
        run(Command::new(env!("CARGO_BIN_EXE_py_re"))
            .args(["translate", class]));
    out.assert_success();
    let rust = out.stdout_text();
    regex::Regex::new(&format!(r"\A(?:{})\z", rust.trim_end())).unwrap()
}

/// Python's `\w`, `\s` and `\d` against the classes `py_re` writes for
/// them, for every code point below U+30000. They may differ only where
/// Python's Unicode tables do not know the character (category Cn), since
/// the regex crate's are newer.
#[test]
fn py_res_classes_are_pythons_for_every_code_point() {
    let python = python("code points");
    let word = translated(r"\w");
    let space = translated(r"\s");
    let digit = translated(r"\d");
    let mut differences = Vec::new();
    for (cp, flag) in python.chars().enumerate() {
        let Some(c) = char::from_u32(cp as u32) else {
            continue;
        };
        let bits = flag.to_digit(16).unwrap();
        let one = c.to_string();
        let ours = u32::from(word.is_match(&one))
            | u32::from(space.is_match(&one)) << 1
            | u32::from(digit.is_match(&one)) << 2;
        let unknown_to_python = bits & 8 != 0;
        if ours != bits & 7 && !unknown_to_python {
            differences.push(format!(
                "U+{cp:04X}: python {:03b}, py_re {ours:03b}",
                bits & 7
            ));
        }
    }
    assert_eq!(python.chars().count(), 0x30000);
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
