//! The chat room's protocol, shared by both servers and the client.
//!
//! Nothing here touches a socket: it turns bytes into lines, lines into
//! requests, and events into the lines the server sends. Both servers, the
//! thread-per-client one and the tokio one, feed it the bytes they read.

use std::collections::VecDeque;

// ANCHOR: limits
/// The longest line a client may send, in bytes, not counting its `\n`.
pub const MAX_LINE: usize = 1024;

/// The longest name, in characters (a name is counted in characters, a line
/// in bytes: 32 汉字 are 96 bytes).
pub const MAX_NAME: usize = 32;

/// How many lines may wait for one client before the server gives up on
/// it: the bound that keeps a client who stops reading from holding
/// memory, or the room, hostage.
pub const QUEUE: usize = 1024;

/// A writer that finds several lines queued sends them with one `write` of
/// up to this many bytes, instead of one `write` per line.
pub const BATCH: usize = 64 * 1024;
// ANCHOR_END: limits

// ANCHOR: framer
/// What one line of input turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A complete line, without its `\n`.
    Line(String),
    /// A line longer than [`MAX_LINE`] bytes; its bytes are dropped.
    TooLong,
    /// A line that is not UTF-8.
    BadUtf8,
}

/// Cuts a byte stream into lines, holding at most [`MAX_LINE`] bytes of
/// an unfinished line however long the peer's line is.
#[derive(Debug, Default)]
pub struct Framer {
    partial: Vec<u8>,
    /// Dropping the rest of a line already reported as too long.
    skipping: bool,
    ready: VecDeque<Frame>,
}

impl Framer {
    pub fn new() -> Framer {
        Framer::default()
    }

    /// Takes the bytes of one `read`.
    pub fn push(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let end = bytes.iter().position(|&byte| byte == b'\n');
            let part = &bytes[..end.unwrap_or(bytes.len())];
            if !self.skipping {
                if self.partial.len() + part.len() > MAX_LINE {
                    // Say so at once: the newline may be megabytes away.
                    self.ready.push_back(Frame::TooLong);
                    self.partial.clear();
                    self.skipping = true;
                } else {
                    self.partial.extend_from_slice(part);
                }
            }
            let Some(end) = end else { break };
            if !self.skipping {
                let line = std::mem::take(&mut self.partial);
                self.ready.push_back(match String::from_utf8(line) {
                    Ok(text) => Frame::Line(text),
                    Err(_) => Frame::BadUtf8,
                });
            }
            self.skipping = false;
            bytes = &bytes[end + 1..];
        }
    }

    /// The next complete line, if there is one.
    pub fn next_frame(&mut self) -> Option<Frame> {
        self.ready.pop_front()
    }

    /// Whether an unfinished line is pending (a peer that closes mid-line).
    pub fn has_partial(&self) -> bool {
        !self.partial.is_empty()
    }
}
// ANCHOR_END: framer

// ANCHOR: requests
/// What a joined client's line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Request<'a> {
    Say(&'a str),
    Who,
    Quit,
}

pub fn parse(line: &str) -> Request<'_> {
    match line {
        "/who" => Request::Who,
        "/quit" => Request::Quit,
        text => Request::Say(text),
    }
}

/// Checks a would-be name: 1 to [`MAX_NAME`] characters, none of them
/// white space or a control character, and not starting with `/` (so that
/// a client who types `/quit` before naming itself is not called "/quit").
pub fn valid_name(name: &str) -> bool {
    (1..=MAX_NAME).contains(&name.chars().count())
        && !name.starts_with('/')
        && !name.chars().any(|c| c.is_whitespace() || c.is_control())
}
// ANCHOR_END: requests

// ANCHOR: replies
/// Every line the server sends, in one place, each ending in `\n`.
pub mod reply {
    pub fn welcome(name: &str) -> String {
        format!("* welcome {name}\n")
    }
    pub const NAME_TAKEN: &str = "* error: name taken\n";
    pub const BAD_NAME: &str = "* error: bad name\n";
    pub const TOO_LONG: &str = "* error: line too long\n";
    pub const BAD_UTF8: &str = "* error: invalid UTF-8\n";
    pub const BYE: &str = "* bye\n";
    pub fn joined(name: &str) -> String {
        format!("* {name} joined\n")
    }
    pub fn left(name: &str) -> String {
        format!("* {name} left\n")
    }
    pub fn said(name: &str, text: &str) -> String {
        format!("{name}: {text}\n")
    }
    pub fn admin(text: &str) -> String {
        format!("* admin: {text}\n")
    }
    /// `names` in any order; the reply lists them sorted.
    pub fn online<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
        let mut names: Vec<&str> = names.into_iter().collect();
        names.sort_unstable();
        format!("* online: {}\n", names.join(", "))
    }
}
// ANCHOR_END: replies

/// The address a server binds when none is given.
pub const DEFAULT_ADDR: &str = "127.0.0.1:7878";
