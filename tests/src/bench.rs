//! Benchmark results: the committed data files and the tables the pages show.
//!
//! Shared by `cargo xtask bench` (which includes this file, writes the data
//! file and renders the table) and the integrity checks (which render the
//! data file again and require the committed table to match), so a page's
//! numbers cannot drift from the run that produced them.
//!
//! A data file, `listings/<chapter>/bench/<suite>.tsv`, is a few `# key:
//! value` lines saying where and when it was measured, then a table of tab-
//! separated values: a header row, then one row per contender. The first
//! column names the contender; every other cell is a number or `-` (not
//! measured, say because a peer was not installed).

use std::fmt::Write as _;

/// A parsed data file.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// `# key: value` lines, in order.
    pub meta: Vec<(String, String)>,
    pub header: Vec<String>,
    pub rows: Vec<(String, Vec<Option<f64>>)>,
}

impl Results {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a data file (or a suite's output, which has no `#` lines).
pub fn parse(text: &str) -> Result<Results, String> {
    let mut meta = Vec::new();
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty());
    let mut header = None;
    for (number, line) in lines.by_ref() {
        if let Some(rest) = line.strip_prefix('#') {
            let (key, value) = rest
                .split_once(':')
                .ok_or_else(|| format!("line {}: a `# key: value` line", number + 1))?;
            meta.push((key.trim().to_owned(), value.trim().to_owned()));
        } else {
            header = Some(line.split('\t').map(str::to_owned).collect::<Vec<_>>());
            break;
        }
    }
    let header = header.ok_or("no header row")?;
    if header.len() < 2 {
        return Err("the header needs a contender column and at least one measure".into());
    }
    let mut rows = Vec::new();
    for (number, line) in lines {
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.len() != header.len() {
            return Err(format!(
                "line {}: {} cells, the header has {}",
                number + 1,
                cells.len(),
                header.len()
            ));
        }
        let values = cells[1..]
            .iter()
            .map(|cell| match *cell {
                "-" => Ok(None),
                number_text => number_text
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| format!("line {}: `{number_text}` is not a number", number + 1)),
            })
            .collect::<Result<Vec<_>, _>>()?;
        rows.push((cells[0].to_owned(), values));
    }
    if rows.is_empty() {
        return Err("no rows".into());
    }
    Ok(Results { meta, header, rows })
}

/// The data file: `meta` lines, then the table.
pub fn to_tsv(results: &Results) -> String {
    let mut out = String::new();
    for (key, value) in &results.meta {
        let _ = writeln!(out, "# {key}: {value}");
    }
    let _ = writeln!(out, "{}", results.header.join("\t"));
    for (name, values) in &results.rows {
        let cells: Vec<String> = values
            .iter()
            .map(|value| value.map_or("-".to_owned(), |v| format!("{v}")))
            .collect();
        let _ = writeln!(out, "{name}\t{}", cells.join("\t"));
    }
    out
}

/// A number as the table shows it: three significant digits, thousands
/// separated by commas.
pub fn show(value: f64) -> String {
    let magnitude = value.abs();
    let decimals = if magnitude >= 100.0 || magnitude == 0.0 {
        0
    } else if magnitude >= 10.0 {
        1
    } else if magnitude >= 1.0 {
        2
    } else {
        // 0.0123 → 3 significant digits after the leading zeros.
        (-magnitude.log10().floor()) as usize + 2
    };
    let text = format!("{value:.decimals$}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// The Markdown table a page includes, with a line naming the run.
pub fn to_markdown(results: &Results) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", results.header.join(" | "));
    let align: Vec<&str> = results
        .header
        .iter()
        .enumerate()
        .map(|(i, _)| if i == 0 { "---" } else { "---:" })
        .collect();
    let _ = writeln!(out, "|{}|", align.join("|"));
    for (name, values) in &results.rows {
        let cells: Vec<String> = values
            .iter()
            .map(|value| value.map_or("–".to_owned(), show))
            .collect();
        let _ = writeln!(out, "| {name} | {} |", cells.join(" | "));
    }
    let _ = writeln!(out);
    let field = |key: &str| results.meta(key).unwrap_or("?");
    let rounds = match field("rounds") {
        "1" => "One round".to_owned(),
        n => format!("Medians of {n} rounds"),
    };
    let _ = writeln!(
        out,
        "<small>Measured with `{}` on {} ({}), Linux {}, {}, {}. {rounds}.</small>",
        field("command"),
        field("cpu"),
        field("machine"),
        field("kernel"),
        field("rustc"),
        field("date"),
    );
    out
}
