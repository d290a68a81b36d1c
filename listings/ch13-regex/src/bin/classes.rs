//! What `\d`, `\w` and `\s` match, character by character, and where `\b`
//! falls. `python/classes.py` prints the same table for Python's `re`.

use regex::Regex;

// ANCHOR: samples
const SAMPLES: [(char, &str); 17] = [
    ('7', "DIGIT SEVEN"),
    ('\u{0663}', "ARABIC-INDIC DIGIT THREE"),
    ('\u{FF13}', "FULLWIDTH DIGIT THREE"),
    ('\u{11F53}', "KAWI DIGIT THREE (Unicode 15)"),
    ('\u{00B2}', "SUPERSCRIPT TWO"),
    ('\u{00BD}', "VULGAR FRACTION ONE HALF"),
    ('\u{216B}', "ROMAN NUMERAL TWELVE"),
    ('\u{00E9}', "LATIN SMALL LETTER E WITH ACUTE"),
    ('\u{0301}', "COMBINING ACUTE ACCENT"),
    ('\u{6C49}', "CJK IDEOGRAPH 汉"),
    ('_', "LOW LINE"),
    ('\u{203F}', "UNDERTIE"),
    ('\u{200D}', "ZERO WIDTH JOINER"),
    ('\t', "CHARACTER TABULATION"),
    ('\u{00A0}', "NO-BREAK SPACE"),
    ('\u{3000}', "IDEOGRAPHIC SPACE"),
    ('\u{001C}', "INFORMATION SEPARATOR FOUR"),
];
// ANCHOR_END: samples

// ANCHOR: main
fn main() -> Result<(), regex::Error> {
    let classes = [
        ("\\d", Regex::new(r"\A\d\z")?),
        ("\\w", Regex::new(r"\A\w\z")?),
        ("\\s", Regex::new(r"\A\s\z")?),
    ];
    for (c, name) in SAMPLES {
        let mut buf = [0; 4];
        let one = c.encode_utf8(&mut buf);
        let marks: Vec<&str> = classes
            .iter()
            .map(
                |(class, regex)| if regex.is_match(one) { class } else { "  " },
            )
            .collect();
        let code = format!("U+{:04X}", c as u32);
        println!("{code:<7}  {}  {name}", marks.join(" "));
    }
    // "café" with a combining accent, then "42½": where are the boundaries?
    let text = "cafe\u{301} 42\u{BD}";
    let boundaries: Vec<usize> = Regex::new(r"\b")?
        .find_iter(text)
        // Characters, as Python counts them, not bytes.
        .map(|m| text[..m.start()].chars().count())
        .collect();
    println!("\\b in \"cafe\\u0301 42\\u00bd\" at characters {boundaries:?}");
    Ok(())
}
// ANCHOR_END: main
