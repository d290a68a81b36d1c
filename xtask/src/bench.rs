//! `cargo xtask bench <suite>`: run a benchmark suite and record it.
//!
//! A suite is `listings/<chapter>/bench/<suite>.rs`, built as the binary
//! `bench_<suite>` of the chapter's package (see `listings/benchkit`). This
//! command builds it in release mode, runs it, and writes:
//!
//! - `listings/<chapter>/bench/<suite>.tsv`: the results, with the machine
//!   they came from (CPU, cores, memory, kernel, Rust, date);
//! - `listings/<chapter>/bench/<suite>.md`: the table the chapter includes;
//! - `src/img/bench/<suite>.svg`: a bar chart of every measure.
//!
//! `--quick` runs the suite's tiny mode and writes nothing. `--replot`
//! runs nothing: it draws the chart again from the recorded `.tsv` (after a
//! change to the chart's layout). `cargo test` checks that every committed
//! table agrees with its data file.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{Result, cargo, root};

#[path = "../../tests/src/bench.rs"]
mod results;

use results::Results;

/// A suite found under `listings/*/bench/`.
struct Suite {
    name: String,
    package: String,
    /// `listings/<chapter>/bench`
    dir: PathBuf,
}

pub fn main(args: &[String]) -> Result {
    let suites = discover()?;
    let quick = args.iter().any(|arg| arg == "--quick");
    let replot = args.iter().any(|arg| arg == "--replot");
    let names: Vec<&String> = args.iter().filter(|arg| !arg.starts_with('-')).collect();
    let [name] = names.as_slice() else {
        println!("usage: cargo xtask bench <suite> [--quick | --replot]\n\nsuites:");
        for suite in &suites {
            println!("  {:<14} ({})", suite.name, suite.dir.display());
        }
        return if names.is_empty() {
            Ok(())
        } else {
            Err("name one suite".into())
        };
    };
    let suite = suites
        .iter()
        .find(|suite| &suite.name == *name)
        .ok_or_else(|| format!("no suite {name}; `cargo xtask bench` lists them"))?;
    if replot {
        return draw_again(suite);
    }
    run(suite, quick)
}

/// Draws a suite's chart again from its recorded results.
fn draw_again(suite: &Suite) -> Result {
    let tsv = root().join(&suite.dir).join(format!("{}.tsv", suite.name));
    let text = fs::read_to_string(&tsv).map_err(|err| format!("{}: {err}", rel(&tsv)))?;
    let results = results::parse(&text).map_err(|err| format!("{}: {err}", rel(&tsv)))?;
    let svg = root()
        .join("src/img/bench")
        .join(format!("{}.svg", suite.name));
    write(&svg, &plot(&results))?;
    println!("wrote {} from {}", rel(&svg), rel(&tsv));
    Ok(())
}

fn discover() -> Result<Vec<Suite>> {
    let mut suites = Vec::new();
    let listings = root().join("listings");
    let chapters =
        fs::read_dir(&listings).map_err(|err| format!("{}: {err}", listings.display()))?;
    for chapter in chapters.flatten() {
        let dir = chapter.path().join("bench");
        let Ok(files) = fs::read_dir(&dir) else {
            continue;
        };
        let manifest = fs::read_to_string(chapter.path().join("Cargo.toml")).unwrap_or_default();
        let Some(package) = manifest
            .lines()
            .find_map(|line| line.strip_prefix("name = "))
            .map(|name| name.trim_matches('"').to_owned())
        else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            if path.extension().is_some_and(|ext| ext == "rs") {
                suites.push(Suite {
                    name: path.file_stem().unwrap().to_string_lossy().into_owned(),
                    package: package.clone(),
                    dir: dir.strip_prefix(root()).unwrap_or(&dir).to_owned(),
                });
            }
        }
    }
    suites.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(suites)
}

fn run(suite: &Suite, quick: bool) -> Result {
    let bin = format!("bench_{}", suite.name);
    println!("xtask bench: building {bin} (release)");
    let built = cargo()
        .args([
            "build",
            "--release",
            "--package",
            &suite.package,
            "--bin",
            &bin,
        ])
        .current_dir(root())
        .status()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if !built.success() {
        return Err(format!("building {bin} failed"));
    }
    let exe = root().join("target/release").join(&bin);
    let mut cmd = Command::new(&exe);
    if quick {
        cmd.arg("--quick");
    }
    println!(
        "xtask bench: running {}{}",
        exe.display(),
        if quick { " --quick" } else { "" }
    );
    let output = cmd
        .current_dir(root())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| format!("cannot run {}: {err}", exe.display()))?;
    if !output.status.success() {
        return Err(format!("{bin} failed ({})", output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut results = results::parse(&text).map_err(|err| format!("{bin}'s output: {err}"))?;
    if quick {
        print!("\n{}", results::to_markdown(&results));
        println!("(quick mode: nothing written)");
        return Ok(());
    }
    let mut meta = vec![
        ("suite".to_owned(), suite.name.clone()),
        (
            "command".to_owned(),
            format!("cargo xtask bench {}", suite.name),
        ),
    ];
    meta.extend(machine());
    meta.append(&mut results.meta);
    results.meta = meta;

    let tsv = root().join(&suite.dir).join(format!("{}.tsv", suite.name));
    let md = tsv.with_extension("md");
    let svg = root()
        .join("src/img/bench")
        .join(format!("{}.svg", suite.name));
    write(&tsv, &results::to_tsv(&results))?;
    write(&md, &results::to_markdown(&results))?;
    write(&svg, &plot(&results))?;
    print!("\n{}", results::to_markdown(&results));
    println!("\nwrote {}, {} and {}", rel(&tsv), rel(&md), rel(&svg));
    Ok(())
}

fn write(path: &Path, text: &str) -> Result {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    }
    fs::write(path, text).map_err(|err| format!("{}: {err}", path.display()))
}

fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Where the numbers come from: CPU model, cores, memory, kernel, Rust, date.
fn machine() -> Vec<(String, String)> {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown CPU".to_owned(), |(_, model)| {
            model.split_whitespace().collect::<Vec<_>>().join(" ")
        });
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: f64 = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap_or(0.0);
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let rustc = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("--version")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default();
    let rustc = rustc.split(" (").next().unwrap_or(&rustc).to_owned();
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default();
    vec![
        ("cpu".into(), cpu),
        (
            "machine".into(),
            format!("{cores} cores, {:.0} GiB", mem_kib / 1024.0 / 1024.0),
        ),
        ("kernel".into(), kernel.trim().to_owned()),
        ("rustc".into(), rustc),
        ("date".into(), date),
    ]
}

/// A horizontal bar chart: one panel per measure, one bar per contender.
/// Written by hand: plotters 0.3's SVG backend cannot lay out text without
/// a font file (its `ttf` or `ab_glyph` feature and a font to load), and a
/// chart this simple needs no layout engine. An opaque light background
/// keeps it legible in mdBook's dark themes.
fn plot(results: &Results) -> String {
    // The label column fits the longest name (13 px sans-serif averages
    // under 7.5 px a character), and the bars keep their room beside it.
    let longest = results
        .rows
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    let label = (20.0 + 7.5 * longest as f64).max(190.0).round();
    let width = label + 530.0;
    const BAR_H: f64 = 18.0;
    const GAP: f64 = 6.0;
    const PANEL_TOP: f64 = 30.0;
    const COLOURS: [&str; 6] = [
        "#1f5fa8", "#c05a00", "#2e7d32", "#8e24aa", "#b71c1c", "#00838f",
    ];
    let rows = results.rows.len() as f64;
    let panel_h = PANEL_TOP + rows * (BAR_H + GAP) + 14.0;
    let panels = results.header.len() - 1;
    let height = 16.0 + panels as f64 * panel_h + 22.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="13">"#
    );
    let title = format!(
        "{}: {}",
        results.meta("suite").unwrap_or("benchmark"),
        results.header[1..].join(", ")
    );
    let _ = writeln!(svg, "  <title>{}</title>", escape(&title));
    let mut desc = String::new();
    for (i, column) in results.header.iter().enumerate().skip(1) {
        let _ = write!(desc, "{column}: ");
        let cells: Vec<String> = results
            .rows
            .iter()
            .map(|(name, values)| {
                format!(
                    "{name} {}",
                    values[i - 1].map_or("not measured".into(), results::show)
                )
            })
            .collect();
        let _ = write!(desc, "{}. ", cells.join(", "));
    }
    let _ = writeln!(svg, "  <desc>{}</desc>", escape(desc.trim()));
    let _ = writeln!(
        svg,
        r##"  <rect width="{width}" height="{height}" fill="#fff"/>"##
    );
    for column in 1..=panels {
        let top = 16.0 + (column - 1) as f64 * panel_h;
        let _ = writeln!(
            svg,
            r##"  <text x="12" y="{}" font-weight="bold" fill="#222">{}</text>"##,
            top + 14.0,
            escape(&results.header[column])
        );
        let max = results
            .rows
            .iter()
            .filter_map(|(_, values)| values[column - 1])
            .fold(0.0f64, f64::max);
        let span = width - label - 90.0;
        for (row, (name, values)) in results.rows.iter().enumerate() {
            let y = top + PANEL_TOP + row as f64 * (BAR_H + GAP);
            let colour = COLOURS[row % COLOURS.len()];
            let _ = writeln!(
                svg,
                r##"  <text x="{}" y="{}" text-anchor="end" fill="#222">{}</text>"##,
                label - 8.0,
                y + BAR_H - 5.0,
                escape(name)
            );
            match values[column - 1] {
                Some(value) => {
                    let w = if max > 0.0 {
                        (value / max * span).max(1.0)
                    } else {
                        1.0
                    };
                    let _ = writeln!(
                        svg,
                        r##"  <rect x="{label}" y="{y}" width="{w:.1}" height="{BAR_H}" fill="{colour}"/>"##
                    );
                    let _ = writeln!(
                        svg,
                        r##"  <text x="{:.1}" y="{}" fill="#222">{}</text>"##,
                        label + w + 6.0,
                        y + BAR_H - 5.0,
                        results::show(value)
                    );
                }
                None => {
                    let _ = writeln!(
                        svg,
                        r##"  <text x="{label}" y="{}" fill="#555" font-style="italic">not measured</text>"##,
                        y + BAR_H - 5.0
                    );
                }
            }
        }
        let _ = writeln!(
            svg,
            r##"  <line x1="{label}" y1="{}" x2="{label}" y2="{}" stroke="#555"/>"##,
            top + PANEL_TOP - 4.0,
            top + PANEL_TOP + rows * (BAR_H + GAP)
        );
    }
    let footer = format!(
        "{} · {} · {}",
        results.meta("cpu").unwrap_or("?"),
        results.meta("machine").unwrap_or("?"),
        results.meta("date").unwrap_or("?")
    );
    let _ = writeln!(
        svg,
        r##"  <text x="12" y="{}" font-size="11" fill="#555">{}</text>"##,
        height - 8.0,
        escape(&footer)
    );
    svg.push_str("</svg>\n");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
