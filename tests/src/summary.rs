//! Reading `SUMMARY.md`: shared by the build script (which makes the doctest
//! bridge) and the integrity checks.

/// One `[Title](path)` entry of `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub title: String,
    /// Relative to `src/`; `None` for a draft chapter (`[Title]()`).
    pub path: Option<String>,
    /// 1-based line in `SUMMARY.md`.
    pub line: usize,
}

/// Every link entry in `SUMMARY.md`, in order.
pub fn entries(summary: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (index, text) in summary.lines().enumerate() {
        let mut rest = text;
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find("](") else {
                break;
            };
            let title_end = open + close;
            let Some(paren) = rest[title_end + 2..].find(')') else {
                break;
            };
            let target = &rest[title_end + 2..title_end + 2 + paren];
            entries.push(Entry {
                title: rest[open + 1..title_end].to_owned(),
                path: (!target.trim().is_empty()).then(|| target.trim().to_owned()),
                line: index + 1,
            });
            rest = &rest[title_end + 2 + paren + 1..];
        }
    }
    entries
}

/// A Rust identifier for a chapter path: `appendix/testing.md` → `appendix_testing`.
pub fn module_name(path: &str) -> String {
    let stem = path.strip_suffix(".md").unwrap_or(path);
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}
