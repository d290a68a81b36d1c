//! What the book's benchmark suites share.
//!
//! A suite is a binary `bench_<suite>` in a chapter's package, built from
//! `listings/<chapter>/bench/<suite>.rs`. `cargo xtask bench <suite>` builds
//! it in release mode, runs it, and records what it prints: a table of
//! tab-separated values on standard output, a header row and one row per
//! contender (progress and notes go to standard error). With `--quick` it
//! runs tiny counts in seconds, so the chapter's tests can run it and the
//! code cannot rot between recorded runs.
//!
//! ```no_run
//! let opts = benchkit::Options::from_args();
//! let mut table = benchkit::Table::new("mechanism", &["throughput (MB/s)"]);
//! let samples = benchkit::alternate(&["pipe", "socketpair"], opts.rounds, |name| {
//!     // …measure one round of `name`…
//!     # let _ = name;
//!     1.0
//! });
//! for (name, mut runs) in ["pipe", "socketpair"].into_iter().zip(samples) {
//!     table.set(name, "throughput (MB/s)", benchkit::median(&mut runs));
//! }
//! table.print(opts.rounds);
//! ```

use std::env;
use std::process;

/// What the command line asked for.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// `--quick`: tiny counts, one round; for tests.
    pub quick: bool,
    /// How many rounds of each contender to run.
    pub rounds: usize,
}

impl Options {
    /// Parses `[--quick] [--rounds N]`; exits with status 2 on anything else.
    pub fn from_args() -> Options {
        let mut opts = Options {
            quick: false,
            rounds: 5,
        };
        let mut args = env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => opts.quick = true,
                "--rounds" => match args.next().and_then(|n| n.parse().ok()) {
                    Some(n) if n > 0 => opts.rounds = n,
                    _ => usage("--rounds needs a positive number"),
                },
                other => usage(&format!("unknown argument {other:?}")),
            }
        }
        if opts.quick {
            opts.rounds = 1;
        }
        opts
    }

    /// `full` normally, `quick` with `--quick`.
    pub fn pick<T>(&self, full: T, quick: T) -> T {
        if self.quick { quick } else { full }
    }
}

fn usage(why: &str) -> ! {
    eprintln!("{why}\nusage: bench_<suite> [--quick] [--rounds N]");
    process::exit(2);
}

/// Runs `measure` on every contender `rounds` times, alternating (A B C A B
/// C …) so that a slow moment of the machine hurts all of them alike.
/// Returns each contender's samples, in the contenders' order.
pub fn alternate<C>(
    contenders: &[C],
    rounds: usize,
    mut measure: impl FnMut(&C) -> f64,
) -> Vec<Vec<f64>> {
    let mut samples = vec![Vec::with_capacity(rounds); contenders.len()];
    for _ in 0..rounds {
        for (contender, runs) in contenders.iter().zip(&mut samples) {
            runs.push(measure(contender));
        }
    }
    samples
}

/// The median of `samples` (the mean of the middle two for an even count).
pub fn median(samples: &mut [f64]) -> f64 {
    assert!(!samples.is_empty(), "the median of nothing");
    samples.sort_by(f64::total_cmp);
    let mid = samples.len() / 2;
    if samples.len() % 2 == 1 {
        samples[mid]
    } else {
        (samples[mid - 1] + samples[mid]) / 2.0
    }
}

/// The table a suite prints.
#[derive(Debug, Clone)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<(String, Vec<Option<f64>>)>,
}

impl Table {
    /// `first` names the contender column; `columns` are the measures, each
    /// with its unit, e.g. `"throughput (MB/s)"`.
    pub fn new(first: &str, columns: &[&str]) -> Table {
        let mut header = vec![first.to_owned()];
        header.extend(columns.iter().map(|c| (*c).to_owned()));
        Table {
            header,
            rows: Vec::new(),
        }
    }

    /// Records `value` for `row` in `column`. Rows appear in the order they
    /// are first set; a cell never set prints as `-` (not measured).
    pub fn set(&mut self, row: &str, column: &str, value: f64) {
        let index = self
            .header
            .iter()
            .skip(1)
            .position(|c| c == column)
            .unwrap_or_else(|| panic!("no column {column:?}"));
        let width = self.header.len() - 1;
        let position = match self.rows.iter().position(|(name, _)| name == row) {
            Some(position) => position,
            None => {
                self.rows.push((row.to_owned(), vec![None; width]));
                self.rows.len() - 1
            }
        };
        self.rows[position].1[index] = Some(value);
    }

    /// Adds a row with nothing measured (a contender that could not run).
    pub fn skip(&mut self, row: &str) {
        if !self.rows.iter().any(|(name, _)| name == row) {
            let width = self.header.len() - 1;
            self.rows.push((row.to_owned(), vec![None; width]));
        }
    }

    /// The table as tab-separated values, values with four significant
    /// digits.
    pub fn to_tsv(&self, rounds: usize) -> String {
        let mut out = format!("# rounds: {rounds}\n{}\n", self.header.join("\t"));
        for (name, values) in &self.rows {
            out.push_str(name);
            for value in values {
                out.push('\t');
                match value {
                    Some(v) => out.push_str(&significant(*v, 4)),
                    None => out.push('-'),
                }
            }
            out.push('\n');
        }
        out
    }

    /// Prints [`Table::to_tsv`] on standard output.
    pub fn print(&self, rounds: usize) {
        print!("{}", self.to_tsv(rounds));
    }
}

/// `value` rounded to `digits` significant digits, without exponent.
pub fn significant(value: f64, digits: i32) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (digits - 1 - magnitude).max(0) as usize;
    let scale = 10f64.powi(digits - 1 - magnitude);
    let rounded = (value * scale).round() / scale;
    format!("{rounded:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn alternate_interleaves_contenders() {
        let mut order = Vec::new();
        let samples = alternate(&['a', 'b'], 3, |c| {
            order.push(*c);
            order.len() as f64
        });
        assert_eq!(order, ['a', 'b', 'a', 'b', 'a', 'b']);
        assert_eq!(samples, [vec![1.0, 3.0, 5.0], vec![2.0, 4.0, 6.0]]);
    }

    #[test]
    fn table_prints_rows_in_order_with_gaps_as_dashes() {
        let mut table = Table::new("server", &["rps", "p99 (ms)"]);
        table.set("nginx", "rps", 12345.678);
        table.set("ours", "p99 (ms)", 0.012345);
        table.set("nginx", "p99 (ms)", 1.5);
        table.skip("python");
        assert_eq!(
            table.to_tsv(5),
            "# rounds: 5\nserver\trps\tp99 (ms)\nnginx\t12350\t1.500\nours\t-\t0.01235\npython\t-\t-\n"
        );
    }
}
