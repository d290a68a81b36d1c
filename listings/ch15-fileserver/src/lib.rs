//! The parts of the file server that decide what to answer: paths below
//! the root, validators (`ETag`, `Last-Modified`), ranges, content
//! negotiation for precompressed files. No I/O on sockets here, so the
//! tests can call every function directly.

use std::ffi::OsStr;
use std::fs::{File, Metadata};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ch05_http::Status;
use nix::errno::Errno;
use nix::fcntl::{OFlag, OpenHow, ResolveFlag, openat2};

pub const PARTIAL_CONTENT: Status = Status {
    code: 206,
    reason: "Partial Content",
};
pub const NOT_MODIFIED: Status = Status {
    code: 304,
    reason: "Not Modified",
};
pub const RANGE_NOT_SATISFIABLE: Status = Status {
    code: 416,
    reason: "Range Not Satisfiable",
};
pub const SERVICE_UNAVAILABLE: Status = Status {
    code: 503,
    reason: "Service Unavailable",
};

// ANCHOR: paths
/// The path part of a request target: `/a/b?q` and `http://host/a/b?q`
/// (the absolute form, which RFC 9112 says servers must accept) give `/a/b`.
pub fn url_path(target: &str) -> Result<&str, Status> {
    let path = target.split('?').next().unwrap_or_default();
    let path = match path.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("http://") => {
            let rest = &path[7..];
            rest.find('/').map_or("/", |slash| &rest[slash..])
        }
        _ => path,
    };
    if path.starts_with('/') {
        Ok(path)
    } else {
        Err(Status::BAD_REQUEST)
    }
}

/// Turns `/a/b%20c/` into the relative path `a/b c`, decoding each segment
/// on its own and refusing (403) one that decodes to `.`, `..`, or anything
/// with a `/` or a NUL in it: `%2e%2e` never reaches the file system.
pub fn relative_path(url_path: &str) -> Result<PathBuf, Status> {
    let mut relative = PathBuf::new();
    for segment in url_path.split('/').filter(|segment| !segment.is_empty()) {
        let name = percent_decode(segment).ok_or(Status::BAD_REQUEST)?;
        if name == b"." || name == b".." || name.contains(&b'/') || name.contains(&0) {
            return Err(Status::FORBIDDEN);
        }
        relative.push(OsStr::from_bytes(&name));
    }
    Ok(relative)
}

fn percent_decode(segment: &str) -> Option<Vec<u8>> {
    fn hex(digit: u8) -> Option<u8> {
        (digit as char).to_digit(16).map(|value| value as u8)
    }
    let mut bytes = segment.bytes();
    let mut name = Vec::with_capacity(segment.len());
    while let Some(byte) = bytes.next() {
        if byte == b'%' {
            let high = hex(bytes.next()?)?;
            let low = hex(bytes.next()?)?;
            name.push((high << 4) | low);
        } else {
            name.push(byte);
        }
    }
    Some(name)
}

/// Opens `relative` below `root` with openat2(2) and `RESOLVE_BENEATH`: the
/// kernel refuses (EXDEV) a resolution that leaves the root, through `..`
/// or through a symbolic link, absolute or relative.
pub fn open_beneath(root: &File, relative: &Path) -> Result<File, Status> {
    let path = if relative.as_os_str().is_empty() {
        Path::new(".")
    } else {
        relative
    };
    let how = OpenHow::new()
        .flags(OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_NOCTTY | OFlag::O_CLOEXEC)
        .resolve(ResolveFlag::RESOLVE_BENEATH | ResolveFlag::RESOLVE_NO_MAGICLINKS);
    openat2(root, path, how).map(File::from).map_err(status_for)
}

pub fn status_for(errno: Errno) -> Status {
    match errno {
        Errno::ENOENT | Errno::ENOTDIR | Errno::ENAMETOOLONG => Status::NOT_FOUND,
        Errno::EXDEV | Errno::ELOOP | Errno::EACCES | Errno::EPERM | Errno::ENXIO => {
            Status::FORBIDDEN
        }
        _ => Status::INTERNAL_SERVER_ERROR,
    }
}

/// `/docs` → `/docs/`, rebuilt from the non-empty segments so that the
/// `Location` never names another host (`//evil.example`).
pub fn directory_location(url_path: &str) -> String {
    let mut location = String::new();
    for segment in url_path.split('/').filter(|segment| !segment.is_empty()) {
        location.push('/');
        location.push_str(&segment.replace('\\', "%5C"));
    }
    location.push('/');
    location
}
// ANCHOR_END: paths

/// The media type for a file name's extension.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path.extension().and_then(OsStr::to_str).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/vnd.microsoft.icon",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "wav" => "audio/wav",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        _ => "application/octet-stream",
    }
}

// ANCHOR: validators
/// What a client can quote back to ask "has it changed?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validators {
    /// `"<mtime seconds>.<nanoseconds>-<size>"` in hex, a strong validator:
    /// any write moves the nanosecond mtime or the size.
    pub etag: String,
    /// `Last-Modified`, which has only one-second resolution.
    pub last_modified: String,
    pub modified_secs: u64,
    /// Whether `Last-Modified` is a strong validator: at least a second
    /// before now (RFC 9110, 8.8.2.2), so that no write in the same second
    /// can follow it unseen.
    pub strong_date: bool,
}

impl Validators {
    pub fn of(meta: &Metadata) -> Validators {
        let secs = u64::try_from(meta.mtime()).unwrap_or(0);
        let nanos = u64::try_from(meta.mtime_nsec()).unwrap_or(0);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        // A time in the future (a clock set wrong, a copied file) is sent
        // as now: Last-Modified may not be later than Date (8.8.2.1).
        let modified = secs.min(now);
        Validators {
            etag: format!("\"{secs:x}.{nanos:x}-{:x}\"", meta.size()),
            last_modified: http_date(UNIX_EPOCH + Duration::from_secs(modified)),
            modified_secs: modified,
            strong_date: modified < now,
        }
    }

    /// Whether a GET or HEAD with these headers gets 304. `If-None-Match`
    /// wins when both are present (RFC 9110, 13.2.2); it compares weakly,
    /// so `W/"x"` matches `"x"`. A date the server cannot parse is ignored.
    pub fn not_modified(
        &self,
        if_none_match: Option<&str>,
        if_modified_since: Option<&str>,
    ) -> bool {
        if let Some(list) = if_none_match {
            let ours = self.etag.as_str();
            return list
                .split(',')
                .map(str::trim)
                .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == ours);
        }
        if_modified_since
            .and_then(parse_http_date)
            .is_some_and(|since| self.modified_secs <= since)
    }

    /// `If-Range` (RFC 9110, 13.1.5): the range applies only if the client's
    /// copy is this one, named by a strong ETag or the exact date, and only
    /// if that date is a strong validator.
    pub fn range_applies(&self, if_range: Option<&str>) -> bool {
        match if_range {
            None => true,
            Some(value) => value == self.etag || (self.strong_date && value == self.last_modified),
        }
    }
}
// ANCHOR_END: validators

// ANCHOR: range
/// What a `Range` header asks for, given the length of the representation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// No range, or one the server ignores: send everything with 200.
    Full,
    /// Bytes `first..=last`: 206.
    Part { first: u64, last: u64 },
    /// A valid range that lies past the end: 416.
    Unsatisfiable,
}

/// Parses `Range: bytes=first-last`, `bytes=first-` and `bytes=-suffix`
/// (RFC 9110, 14.1.2). A header with several ranges, another unit or bad
/// syntax is ignored, as the RFC allows: the client gets the whole file.
pub fn parse_range(header: Option<&str>, length: u64) -> Range {
    let Some(spec) = header.and_then(|value| value.trim().strip_prefix("bytes=")) else {
        return Range::Full;
    };
    if spec.contains(',') {
        return Range::Full;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Range::Full;
    };
    let number = |text: &str| -> Option<u64> {
        let text = text.trim();
        if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        // More digits than a u64 holds: past the end of any file.
        Some(text.parse().unwrap_or(u64::MAX))
    };
    match (number(first), number(last), first.trim().is_empty()) {
        // bytes=-N: the last N bytes.
        (None, Some(suffix), true) => {
            if suffix == 0 || length == 0 {
                Range::Unsatisfiable
            } else {
                Range::Part {
                    first: length.saturating_sub(suffix),
                    last: length - 1,
                }
            }
        }
        (Some(first), last, false) if last.is_none_or(|last| first <= last) => {
            if first >= length {
                return Range::Unsatisfiable;
            }
            let last = last.unwrap_or(u64::MAX).min(length - 1);
            Range::Part { first, last }
        }
        _ => Range::Full,
    }
}
// ANCHOR_END: range

// ANCHOR: gzip
/// Whether `Accept-Encoding` accepts gzip: listed (or `*`) with a quality
/// other than 0. `gzip;q=0` means "anything but gzip".
pub fn accepts_gzip(accept_encoding: Option<&str>) -> bool {
    let Some(value) = accept_encoding else {
        return false;
    };
    let mut gzip = None;
    let mut star = None;
    for item in value.split(',') {
        let mut params = item.split(';');
        let coding = params.next().unwrap_or_default().trim();
        let zero = params.any(|param| {
            let param = param.trim();
            param.len() >= 2
                && param[..2].eq_ignore_ascii_case("q=")
                && param[2..].trim().parse::<f32>().is_ok_and(|q| q == 0.0)
        });
        if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
            gzip = Some(!zero);
        } else if coding == "*" {
            star = Some(!zero);
        }
    }
    gzip.or(star).unwrap_or(false)
}
// ANCHOR_END: gzip

// ANCHOR: dates
/// A time as an IMF-fixdate (RFC 9110, 5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let (days, secs_of_day) = (secs / 86_400, secs % 86_400);
    let weekday = WEEKDAYS[(days % 7) as usize];
    let (year, month, day) = civil_from_days(days);
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        MONTHS[month as usize - 1],
        secs_of_day / 3600,
        secs_of_day / 60 % 60,
        secs_of_day % 60
    )
}

/// Parses an IMF-fixdate back to seconds since 1970. The two obsolete
/// formats RFC 9110 mentions (RFC 850, asctime) give `None`, and a
/// conditional header the server cannot read is ignored.
pub fn parse_http_date(text: &str) -> Option<u64> {
    let (weekday, rest) = text.trim().split_once(", ")?;
    let fields: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = fields.as_slice() else {
        return None;
    };
    let digits = |text: &str, len: usize| -> Option<u64> {
        (text.len() == len && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse().ok())?
    };
    let day = digits(day, 2)?;
    let month = MONTHS.iter().position(|name| name == month)? as u64 + 1;
    let year = digits(year, 4)?;
    let mut hms = time.split(':');
    let (hour, minute, second) = (
        digits(hms.next()?, 2)?,
        digits(hms.next()?, 2)?,
        digits(hms.next()?, 2)?,
    );
    if hms.next().is_some() || year < 1970 || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day)?;
    if WEEKDAYS[(days % 7) as usize] != weekday {
        return None;
    }
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 to (year, month 1-12, day 1-31): Howard Hinnant's
/// `civil_from_days`, for days on or after 1970.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153; // March = 0
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + u64::from(month <= 2), month, day)
}

/// The inverse, `days_from_civil`; `None` for a day the month lacks.
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    if !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil_unchecked(year, month, day);
    (civil_from_days(days) == (year, month, day)).then_some(days)
}

fn days_from_civil_unchecked(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let yoe = year % 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).saturating_sub(719_468)
}
// ANCHOR_END: dates

pub mod blocking;
pub mod reply;
pub mod setup;
