//! Python's `re` API, call by call, with the regex crate. It prints exactly
//! what `python/re_api.py` prints, in Python's notation.

use regex::{Captures, Regex};

// ANCHOR: pattern
fn main() -> Result<(), regex::Error> {
    let log = "2024-05-01 ERROR 磁盘 full\n2024-05-02 INFO ok\n";
    // re.compile(...)
    let regex =
        Regex::new(r"(?P<date>\d{4}-\d\d-\d\d) (?P<level>[A-Z]+) (\w+)")?;

    println!("pattern     {}", regex.as_str());
    // Python does not count group 0, the whole match; the regex crate does.
    println!("groups      {}", regex.captures_len() - 1);
    let groupindex: Vec<String> = regex
        .capture_names()
        .enumerate()
        .filter_map(|(index, name)| Some(format!("{}: {index}", repr(name?))))
        .collect();
    println!("groupindex  {{{}}}", groupindex.join(", "));
    // ANCHOR_END: pattern

    // ANCHOR: search
    // search: the leftmost match anywhere.
    let found = regex.find(log).map(|m| m.as_str());
    println!("search      {}", found.unwrap_or("None"));
    // match: only at the start. \A inside the pattern anchors it there.
    let at_start = Regex::new(&format!(r"\A(?:{})", regex.as_str()))?;
    let caps = at_start.captures(log).expect("line 1 starts with a date");
    println!("match       {}", &caps["level"]);
    // match with pos=1: a match that starts exactly at byte 1, or none.
    let at_one = regex
        .captures_at(log, 1)
        .filter(|c| c.get(0).unwrap().start() == 1);
    println!(
        "match pos=1 {}",
        if at_one.is_some() { "<match>" } else { "None" }
    );
    // fullmatch: \A and \z around the whole pattern, in a group.
    let whole = Regex::new(&format!(r"\A(?:{})\z", regex.as_str()))?;
    let m = whole.find("2024-05-02 INFO ok").expect("matches");
    println!("fullmatch   ({}, {})", m.start(), m.end());
    println!(
        "fullmatch   {}",
        whole.find(log).map_or("None", |_| "<match>")
    );
    // ANCHOR_END: search

    // ANCHOR: findall
    // findall with three groups: a tuple per match.
    let tuples: Vec<String> = regex
        .captures_iter(log)
        .map(|caps| {
            tuple(caps.iter().skip(1).map(|g| repr(g.unwrap().as_str())))
        })
        .collect();
    println!("findall     [{}]", tuples.join(", "));
    // finditer: Python counts characters, the regex crate bytes.
    let spans: Vec<String> = regex
        .find_iter(log)
        .map(|m| {
            format!("({}, {})", chars(log, m.start()), chars(log, m.end()))
        })
        .collect();
    println!("finditer    [{}]", spans.join(", "));
    // ANCHOR_END: findall

    // ANCHOR: split_sub
    let spaces = Regex::new(r"\s+")?;
    let pieces: Vec<String> = spaces.split("a  b\tc").map(repr).collect();
    println!("split       [{}]", pieces.join(", "));
    println!(
        "split (…)   [{}]",
        split_keeping(&Regex::new(r"(\s+)")?, "a  b\tc").join(", ")
    );
    // sub: \3/\2/\1 in Python is ${3}/${2}/${1} here.
    let date = Regex::new(r"(\d+)-(\d+)-(\d+)")?;
    println!(
        "sub         {}",
        date.replace_all("2024-05-01", "${3}/${2}/${1}")
    );
    // subn: the regex crate does not count, so count the matches.
    let digit = Regex::new(r"\d")?;
    let count = digit.find_iter("a1b22").count();
    let replaced = digit.replace_all("a1b22", "#");
    println!("subn        ({}, {count})", repr(&replaced));
    // ANCHOR_END: split_sub

    // ANCHOR: match_object
    // regex.search(log, 1): the same search, starting at byte 1.
    let (pos, endpos) = (1, log.len());
    let m = regex.captures_at(log, pos).expect("line 2 matches");
    println!("pos endpos  {} {}", chars(log, pos), chars(log, endpos));
    // m.string and m.re: a Rust match borrows the text; the regex is yours.
    println!("string re   True True");
    let last = lastindex(&m);
    let lastgroup = last.and_then(|i| regex.capture_names().nth(i).flatten());
    let show = |index: Option<usize>| {
        index.map_or("None".to_owned(), |i| i.to_string())
    };
    println!(
        "lastgroup   {} {}",
        lastgroup.map_or("None".to_owned(), repr),
        show(last)
    );
    let whole = m.get(0).unwrap();
    let (start, end) = (chars(log, whole.start()), chars(log, whole.end()));
    println!("span        ({start}, {end}) {start} {end}");
    println!("group       {} {} {} {}", &m[0], &m[1], &m["level"], &m[3]);
    println!("groups      {}", groups(&m));
    let groupdict: Vec<String> = regex
        .capture_names()
        .flatten()
        .map(|name| {
            format!(
                "{}: {}",
                repr(name),
                m.name(name).map_or("None".into(), |g| repr(g.as_str()))
            )
        })
        .collect();
    println!("groupdict   {{{}}}", groupdict.join(", "));

    let optional = Regex::new(r"(a)(b)?")?.captures("ac").expect("matches");
    println!(
        "optional    {} {}",
        groups(&optional),
        show(lastindex(&optional))
    );
    // Both groups end at 2; the outer one closes last.
    let nested = Regex::new(r"(a(b))")?.captures("ab").expect("matches");
    println!("nested      {}", show(lastindex(&nested)));

    let first = regex.captures(log).expect("matches");
    let g3 = first.get(3).unwrap();
    let (start, end) = (chars(log, g3.start()), chars(log, g3.end()));
    println!("span(3)     ({start}, {end}) {}", g3.as_str());
    Ok(())
}
// ANCHOR_END: match_object

// ANCHOR: helpers
/// A byte offset as Python's character offset.
fn chars(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// Python's `m.lastindex`: the group that closed last. Without empty
/// groups, that is the group that ends last, the outermost on a tie.
fn lastindex(caps: &Captures) -> Option<usize> {
    caps.iter()
        .enumerate()
        .skip(1)
        .filter_map(|(index, group)| Some((index, group?.end())))
        .max_by_key(|&(index, end)| (end, std::cmp::Reverse(index)))
        .map(|(index, _)| index)
}

/// Python's `m.groups()`: every group, `None` where one did not match.
fn groups(caps: &Captures) -> String {
    tuple(
        caps.iter()
            .skip(1)
            .map(|g| g.map_or("None".into(), |g| repr(g.as_str()))),
    )
}

/// `re.split` with a group in the pattern: the separators are kept.
fn split_keeping(regex: &Regex, text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut last = 0;
    for caps in regex.captures_iter(text) {
        let whole = caps.get(0).unwrap();
        pieces.push(repr(&text[last..whole.start()]));
        pieces.extend(
            caps.iter()
                .skip(1)
                .map(|g| g.map_or("None".into(), |g| repr(g.as_str()))),
        );
        last = whole.end();
    }
    pieces.push(repr(&text[last..]));
    pieces
}
// ANCHOR_END: helpers

/// Python's `repr` of a str, for the characters this program prints.
fn repr(text: &str) -> String {
    let mut out = String::from("'");
    for c in text.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Python's notation for a tuple of two or more items.
fn tuple(items: impl Iterator<Item = String>) -> String {
    format!("({})", items.collect::<Vec<_>>().join(", "))
}
