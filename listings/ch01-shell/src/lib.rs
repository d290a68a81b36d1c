//! What the chapter 1 tools share: reporting errors the way coreutils does,
//! quoting file names in messages, reading options, and copying, moving and
//! removing whole trees.

use std::ffi::{OsStr, OsString};
use std::fmt::Display;
use std::fs::{self, File, FileTimes, Metadata};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// ANCHOR: describe
/// The message of `err` as coreutils prints it. For an error from the
/// kernel, Rust's `Display` adds the number, "No such file or directory
/// (os error 2)"; strerror(3), which coreutils uses, does not.
pub fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    match err.raw_os_error() {
        Some(code) => match text.strip_suffix(&format!(" (os error {code})")) {
            Some(message) => message.to_owned(),
            None => text,
        },
        None => text,
    }
}
// ANCHOR_END: describe

// ANCHOR: tool
/// A command-line tool: its name for messages, and the exit status it
/// returns when something went wrong (1 for most tools, 2 for `ls`).
pub struct Tool {
    name: &'static str,
    failure: u8,
    failed: bool,
}

impl Tool {
    pub fn new(name: &'static str, failure: u8) -> Self {
        Tool {
            name,
            failure,
            failed: false,
        }
    }

    /// Prints `name: message` on stderr and remembers that this run failed.
    /// The tool goes on with its next operand, as coreutils does.
    pub fn error(&mut self, message: impl Display) {
        eprintln!("{}: {message}", self.name);
        self.failed = true;
    }

    /// 0 if every operand succeeded, the tool's failure status otherwise.
    pub fn exit_code(&self) -> ExitCode {
        if self.failed {
            ExitCode::from(self.failure)
        } else {
            ExitCode::SUCCESS
        }
    }
}
// ANCHOR_END: tool

impl Tool {
    /// A mistake on the command line: the message, coreutils' hint, and the
    /// failure status to exit with.
    pub fn usage_error(&self, message: impl Display) -> ExitCode {
        eprintln!("{}: {message}", self.name);
        eprintln!("Try '{} --help' for more information.", self.name);
        ExitCode::from(self.failure)
    }

    // ANCHOR: parse_args
    /// Splits the command line into single-letter options (those in
    /// `allowed`) and operands, as GNU tools do: `-rf` is `-r -f`, options
    /// may follow operands, `--` ends the options, and `-` alone is an
    /// operand. `--help` prints `usage`. `Err` holds the status to exit with.
    pub fn parse_args(
        &self,
        args: impl IntoIterator<Item = OsString>,
        allowed: &str,
        usage: &str,
    ) -> Result<Args, ExitCode> {
        let mut parsed = Args::default();
        let mut options_ended = false;
        for arg in args {
            let bytes = arg.as_bytes();
            if options_ended || bytes.len() < 2 || bytes[0] != b'-' {
                parsed.operands.push(arg);
            } else if bytes == b"--" {
                options_ended = true;
            } else if bytes == b"--help" {
                println!("Usage: {} {usage}", self.name);
                return Err(ExitCode::SUCCESS);
            } else if bytes.starts_with(b"--") {
                let message = format!("unrecognized option {}", quote(&arg));
                return Err(self.usage_error(message));
            } else {
                for &byte in &bytes[1..] {
                    let option = char::from(byte);
                    if !allowed.contains(option) {
                        let shown = option.escape_default();
                        let message = format!("invalid option -- '{shown}'");
                        return Err(self.usage_error(message));
                    }
                    parsed.options.push(option);
                }
            }
        }
        Ok(parsed)
    }
    // ANCHOR_END: parse_args
}

/// A parsed command line: options in the order given, then the operands.
#[derive(Debug, Default)]
pub struct Args {
    options: Vec<char>,
    pub operands: Vec<OsString>,
}

impl Args {
    /// Whether `option` was given.
    pub fn has(&self, option: char) -> bool {
        self.options.contains(&option)
    }

    /// The last given of several options that override each other, such as
    /// `ls -a` and `ls -A`.
    pub fn last_of(&self, options: &str) -> Option<char> {
        self.options
            .iter()
            .rev()
            .copied()
            .find(|&option| options.contains(option))
    }
}

// ANCHOR: quote
/// Quotes a file name for a message as coreutils does in the C locale
/// (its `shell-escape-always` style): `'notes.txt'`, `"it's"`,
/// `'caf'$'\303\251'`. Whatever bytes the name holds, the result is ASCII
/// that a shell reads back as the same name.
pub fn quote(name: impl AsRef<OsStr>) -> String {
    let bytes = name.as_ref().as_bytes();
    // A name whose only special character is `'` reads best in "…".
    let plain = |(at, &byte): (usize, &u8)| {
        byte.is_ascii_alphanumeric()
            || b" '%+,-./:]_@".contains(&byte)
            || (at == 0 && (byte == b'#' || byte == b'~'))
    };
    if bytes.contains(&b'\'') && bytes.iter().enumerate().all(plain) {
        return format!("\"{}\"", name.as_ref().to_string_lossy());
    }
    let mut quoted = String::from("'");
    let mut in_dollar_quote = false; // inside a $'…' part
    for &byte in bytes {
        let escape = match byte {
            b'\n' => "\\n".to_owned(),
            b'\t' => "\\t".to_owned(),
            b'\r' => "\\r".to_owned(),
            0x07 => "\\a".to_owned(),
            0x08 => "\\b".to_owned(),
            0x0b => "\\v".to_owned(),
            0x0c => "\\f".to_owned(),
            b' '..=b'~' => String::new(),
            _ => format!("\\{byte:03o}"),
        };
        if !escape.is_empty() {
            if !in_dollar_quote {
                quoted.push_str("'$'");
                in_dollar_quote = true;
            }
            quoted.push_str(&escape);
        } else if byte == b'\'' {
            quoted.push_str("'\\''");
            in_dollar_quote = false;
        } else {
            if in_dollar_quote {
                quoted.push_str("''");
                in_dollar_quote = false;
            }
            quoted.push(char::from(byte));
        }
    }
    quoted.push('\'');
    quoted
}
// ANCHOR_END: quote

/// Quotes `name` only if a shell would need it, as `cat` does in its
/// messages: `notes.txt` stays as it is, `my notes.txt` becomes
/// `'my notes.txt'`.
pub fn quote_if_needed(name: impl AsRef<OsStr>) -> String {
    let bytes = name.as_ref().as_bytes();
    let plain = |(at, &byte): (usize, &u8)| {
        byte.is_ascii_alphanumeric()
            || b"%+,-./:]_@{}".contains(&byte)
            || (at > 0 && (byte == b'#' || byte == b'~'))
    };
    let needs_quotes =
        bytes.is_empty() || bytes == b"{" || bytes == b"}" || !bytes.iter().enumerate().all(plain);
    if needs_quotes {
        quote(name)
    } else {
        name.as_ref().to_string_lossy().into_owned()
    }
}

/// Whether two files are one: the same inode on the same device.
pub fn same_file(a: &Metadata, b: &Metadata) -> bool {
    a.dev() == b.dev() && a.ino() == b.ino()
}

// ANCHOR: destinations
/// Where `cp` and `mv` send each source. With two operands, `SOURCE DEST`,
/// the source goes to DEST, or into DEST if it is a directory; with more,
/// the last one must be a directory and every source goes into it.
pub fn destinations(
    tool: &mut Tool,
    operands: &[OsString],
) -> Result<Vec<(PathBuf, PathBuf)>, ExitCode> {
    let (target, sources) = match operands {
        [] => return Err(tool.usage_error("missing file operand")),
        [source] => {
            let after = quote(source);
            let message = format!("missing destination file operand after {after}");
            return Err(tool.usage_error(message));
        }
        [sources @ .., target] => (Path::new(target), sources),
    };
    let into_dir = match fs::metadata(target) {
        Ok(meta) => meta.is_dir(),
        Err(_) if sources.len() == 1 => false,
        Err(err) => {
            let why = describe(&err);
            tool.error(format_args!("target {}: {why}", quote(target)));
            return Err(tool.exit_code());
        }
    };
    if sources.len() > 1 && !into_dir {
        tool.error(format_args!("target {}: Not a directory", quote(target)));
        return Err(tool.exit_code());
    }
    Ok(sources
        .iter()
        .map(|source| {
            let source = PathBuf::from(source);
            let dest = match (into_dir, source.file_name()) {
                (true, Some(name)) => target.join(name),
                _ => target.to_path_buf(),
            };
            (source, dest)
        })
        .collect())
}
// ANCHOR_END: destinations

// ANCHOR: copy_tree
/// Copies `source` to `dest` without following symbolic links: a
/// directory with everything in it, a symbolic link as a link, a file with
/// its permission bits. Files and directories keep their access and
/// modification times. An existing directory at `dest` is merged into.
pub fn copy_tree(source: &Path, dest: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(source)?;
    let kind = meta.file_type();
    if kind.is_symlink() {
        // std cannot set a link's own times (that needs lutimes), so it
        // gets the time of its creation.
        return std::os::unix::fs::symlink(fs::read_link(source)?, dest);
    }
    if kind.is_dir() {
        // An existing directory is merged into, as `cp -r` does.
        if let Err(err) = fs::create_dir(dest)
            && !(err.kind() == io::ErrorKind::AlreadyExists && dest.is_dir())
        {
            return Err(err);
        }
        for entry in fs::read_dir(source)? {
            let entry = entry?;
            copy_tree(&entry.path(), &dest.join(entry.file_name()))?;
        }
        // Only now: a read-only directory could not have been filled.
        fs::set_permissions(dest, meta.permissions())?;
    } else if kind.is_file() {
        fs::copy(source, dest)?; // contents and permission bits
    } else {
        let message = "not a regular file, directory or symbolic link";
        return Err(io::Error::new(io::ErrorKind::Unsupported, message));
    }
    // Last, because adding entries to a directory updates its mtime.
    let times = FileTimes::new()
        .set_accessed(meta.accessed()?)
        .set_modified(meta.modified()?);
    File::open(dest)?.set_times(times)
}
// ANCHOR_END: copy_tree

// ANCHOR: remove_tree
/// Removes `path` without following a symbolic link: a directory with
/// everything in it, anything else as a single name.
pub fn remove_tree(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}
// ANCHOR_END: remove_tree

// ANCHOR: move_path
/// How [`move_path`] got a file to its new name.
#[derive(Debug, PartialEq, Eq)]
pub enum Moved {
    /// rename(2): a new name for the same inode, nothing copied.
    Renamed,
    /// rename(2) failed with EXDEV: copied to the other file system, then
    /// the original removed.
    Copied,
}

/// Moves `source` to `dest` as `mv` does: one rename(2) when both are on
/// the same file system; otherwise copy everything, then remove the source.
pub fn move_path(source: &Path, dest: &Path) -> io::Result<Moved> {
    move_with(source, dest, |from, to| fs::rename(from, to))
}

/// [`move_path`] with the rename step passed in, so that a test can make it
/// fail with EXDEV on a machine that has only one file system.
pub fn move_with(
    source: &Path,
    dest: &Path,
    rename: impl FnOnce(&Path, &Path) -> io::Result<()>,
) -> io::Result<Moved> {
    match rename(source, dest) {
        Ok(()) => Ok(Moved::Renamed),
        // EXDEV: "oldpath and newpath are not on the same mounted
        // filesystem". A name cannot point into another file system.
        Err(err) if err.kind() == io::ErrorKind::CrossesDevices => {
            copy_tree(source, dest)?;
            remove_tree(source)?;
            Ok(Moved::Copied)
        }
        Err(err) => Err(err),
    }
}
// ANCHOR_END: move_path

// ANCHOR: refusal
/// Why `rm -r` must not touch `path`, if it must not: the two failsafes of
/// coreutils. Removing `.` or `..` would pull the directory out from under
/// you or your parent; removing `/` removes everything.
pub fn rm_refusal(path: &Path) -> Option<String> {
    let bytes = path.as_os_str().as_bytes();
    let trimmed = match bytes.iter().rposition(|&byte| byte != b'/') {
        Some(last) => &bytes[..=last],
        None => b"/", // only slashes: the root
    };
    let last = trimmed
        .rsplit(|&byte| byte == b'/')
        .next()
        .unwrap_or(trimmed);
    if last == b"." || last == b".." {
        return Some(format!(
            "refusing to remove '.' or '..' directory: skipping {}",
            quote(path)
        ));
    }
    // lstat, as rm does: a symbolic link to / is just a link, and removing
    // it is safe. (`link/`, with the slash, does lead to the root.)
    let is_root = match (fs::symlink_metadata(path), fs::metadata("/")) {
        (Ok(meta), Ok(root)) => same_file(&meta, &root),
        _ => false,
    };
    is_root.then(|| {
        let same_as = if bytes == b"/" { "" } else { " (same as '/')" };
        format!(
            "it is dangerous to operate recursively on {}{same_as}\n\
             rm: use --no-preserve-root to override this failsafe",
            quote(path)
        )
    })
}
// ANCHOR_END: refusal

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn describe_drops_the_os_error_number() {
        let err = io::Error::from_raw_os_error(2);
        assert_eq!(err.to_string(), "No such file or directory (os error 2)");
        assert_eq!(describe(&err), "No such file or directory");
    }

    #[test]
    fn describe_keeps_messages_that_did_not_come_from_the_kernel() {
        let err = io::Error::other("disk on fire");
        assert_eq!(describe(&err), "disk on fire");
    }

    #[test]
    fn quote_escapes_bytes_that_are_not_printable_ascii() {
        assert_eq!(quote("notes.txt"), "'notes.txt'");
        assert_eq!(quote("it's"), "\"it's\"");
        assert_eq!(quote("a'b\"c"), "'a'\\''b\"c'");
        assert_eq!(quote(OsStr::from_bytes(b"x\xffy")), "'x'$'\\377''y'");
        assert_eq!(quote("tab\t"), "'tab'$'\\t'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn quote_if_needed_leaves_plain_names_alone() {
        assert_eq!(quote_if_needed("notes.txt"), "notes.txt");
        assert_eq!(quote_if_needed("my notes"), "'my notes'");
        assert_eq!(quote_if_needed("#x"), "'#x'");
        assert_eq!(quote_if_needed("x#"), "x#");
    }

    #[test]
    fn rm_refuses_dot_and_dotdot_but_not_names_that_merely_contain_dots() {
        for path in [".", "..", "./", "d/..", "d/.//", "/tmp/.", "/tmp/.."] {
            let refusal = rm_refusal(Path::new(path)).unwrap_or_default();
            assert!(refusal.starts_with("refusing to remove"), "{path}");
        }
        for path in ["d", ".d", "..d", "d/...", "/tmp"] {
            assert_eq!(rm_refusal(Path::new(path)), None, "{path}");
        }
    }

    #[test]
    fn rm_refuses_the_root_but_not_a_symbolic_link_to_it() {
        let failsafe = "\nrm: use --no-preserve-root to override this failsafe";
        let refusal = |path: &Path| rm_refusal(path).map(|text| text.replace(failsafe, ""));
        let message = "it is dangerous to operate recursively on";
        assert_eq!(refusal(Path::new("/")), Some(format!("{message} '/'")));
        let same = format!("{message} '//' (same as '/')");
        assert_eq!(refusal(Path::new("//")), Some(same));
        // Only inspected, never removed: rm_refusal touches nothing.
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("root");
        std::os::unix::fs::symlink("/", &link).unwrap();
        assert_eq!(refusal(&link), None, "the link itself is not the root");
        let through = dir.path().join("root/");
        assert!(refusal(&through).is_some_and(|text| text.ends_with("(same as '/')")));
    }

    #[test]
    fn options_may_be_grouped_and_follow_operands() {
        let tool = Tool::new("rm", 1);
        let args = ["a", "-rf", "--", "-b", "-"].map(OsString::from);
        let parsed = tool.parse_args(args, "rf", "").unwrap();
        assert!(parsed.has('r') && parsed.has('f'));
        assert_eq!(parsed.operands, ["a", "-b", "-"]);
        let parsed = tool.parse_args(["-a", "-A"].map(OsString::from), "aA", "");
        assert_eq!(parsed.unwrap().last_of("aA"), Some('A'));
    }
}
