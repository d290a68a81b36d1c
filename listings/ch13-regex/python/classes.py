"""What \\d, \\w and \\s match in Python's re; Listing 13-1 prints Rust's."""
import re

SAMPLES = [
    ("7", "DIGIT SEVEN"),
    ("\u0663", "ARABIC-INDIC DIGIT THREE"),
    ("\uFF13", "FULLWIDTH DIGIT THREE"),
    ("\U00011F53", "KAWI DIGIT THREE (Unicode 15)"),
    ("\u00B2", "SUPERSCRIPT TWO"),
    ("\u00BD", "VULGAR FRACTION ONE HALF"),
    ("\u216B", "ROMAN NUMERAL TWELVE"),
    ("\u00E9", "LATIN SMALL LETTER E WITH ACUTE"),
    ("\u0301", "COMBINING ACUTE ACCENT"),
    ("\u6C49", "CJK IDEOGRAPH 汉"),
    ("_", "LOW LINE"),
    ("\u203F", "UNDERTIE"),
    ("\u200D", "ZERO WIDTH JOINER"),
    ("\t", "CHARACTER TABULATION"),
    ("\u00A0", "NO-BREAK SPACE"),
    ("\u3000", "IDEOGRAPHIC SPACE"),
    ("\u001C", "INFORMATION SEPARATOR FOUR"),
]

classes = [(r"\d", re.compile(r"\A\d\Z")), (r"\w", re.compile(r"\A\w\Z")),
           (r"\s", re.compile(r"\A\s\Z"))]
for c, name in SAMPLES:
    marks = [cls if regex.match(c) else "  " for cls, regex in classes]
    code = f"U+{ord(c):04X}"
    print(f"{code:<7}  {' '.join(marks)}  {name}")
text = "cafe\u0301 42\u00bd"
boundaries = [m.start() for m in re.finditer(r"\b", text)]
print(f'\\b in "cafe\\u0301 42\\u00bd" at characters {boundaries}')
