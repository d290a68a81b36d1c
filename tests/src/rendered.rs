//! The built book as a reader meets it: served over HTTP on a loopback
//! port of its own, and opened in headless Chromium (run by
//! `tests/rendered.rs`).
//!
//! The pages under test are the book's own. A test adds small pages of its
//! own under `/__test/` that open a book page in a same-origin iframe, drive
//! it as a reader would (type in the search bar, pick a theme), and POST
//! what they saw to `/__report`; [`Site::next_report`] hands that to the
//! test. So no wait is a guess: the test waits for the report, with a
//! deadline, and the browser is killed and reaped when it is done.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use harness::ChildGuard;
use regex::Regex;

/// Chromium (or Chrome) on the PATH, if there is one.
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// The built book served on `127.0.0.1:0`, with test pages of its own.
pub struct Site {
    addr: SocketAddr,
    reports: Mutex<Receiver<String>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Site {
    /// Serves the files under `dir` at `/<mount>/` (the root when `mount`
    /// is empty: GitHub Pages serves a project's site under its name), and
    /// `pages` (path, HTML) under `/__test/`.
    pub fn serve(dir: &Path, mount: &str, pages: &[(&str, String)]) -> io::Result<Site> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let (report_tx, reports) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let routes: Arc<BTreeMap<String, String>> = Arc::new(
            pages
                .iter()
                .map(|(path, html)| (format!("/__test/{path}"), html.clone()))
                .collect(),
        );
        let dir = dir.to_owned();
        let mount = format!("/{}", mount.trim_matches('/'));
        let stopping = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (dir, mount, routes, report_tx) = (
                    dir.clone(),
                    mount.clone(),
                    Arc::clone(&routes),
                    report_tx.clone(),
                );
                thread::spawn(move || {
                    let _ = answer(stream, &dir, &mount, &routes, &report_tx);
                });
            }
        });
        Ok(Site {
            addr,
            reports: Mutex::new(reports),
            stop,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>/<path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }

    /// The next report a test page POSTed, if one comes within `timeout`.
    pub fn next_report(&self, timeout: Duration) -> Option<String> {
        self.reports.lock().unwrap().recv_timeout(timeout).ok()
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers the requests on one connection (HTTP/1.1, kept alive so that
/// the browser does not open a connection for every fragment of the index).
fn answer(
    stream: TcpStream,
    dir: &Path,
    mount: &str,
    routes: &BTreeMap<String, String>,
    reports: &Sender<String>,
) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut parts = request_line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
        let mut body = vec![0; length.min(16 << 20)];
        reader.read_exact(&mut body)?;
        if method == "POST" && path == "/__report" {
            let _ = reports.send(String::from_utf8_lossy(&body).into_owned());
            respond(&mut stream, "204 No Content", "text/plain", b"")?;
        } else if let Some(html) = routes.get(&path) {
            respond(
                &mut stream,
                "200 OK",
                "text/html; charset=utf-8",
                html.as_bytes(),
            )?;
        } else {
            let mut file = dir.to_owned();
            let under = if mount == "/" {
                Some(path.as_str())
            } else {
                path.strip_prefix(mount)
            };
            let mut inside = under.is_some();
            for part in Path::new(under.unwrap_or("").trim_start_matches('/')).components() {
                match part {
                    Component::Normal(part) => file.push(part),
                    _ => inside = false,
                }
            }
            if file.is_dir() {
                file.push("index.html");
            }
            match fs::read(&file) {
                Ok(bytes) if inside => respond(&mut stream, "200 OK", content_type(&file), &bytes)?,
                _ => respond(&mut stream, "404 Not Found", "text/plain", b"not found")?,
            }
        }
    }
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: max-age=600\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    stream.flush()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|ext| ext.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        _ => "application/octet-stream",
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Ok(byte) = u8::from_str_radix(text.get(i + 1..i + 3).unwrap_or(""), 16)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Opens `url` in headless Chromium with a fresh profile in `profile`, and
/// returns the first report a page of `site` POSTs. The browser is killed
/// and reaped when this returns, also when it panics.
///
/// `dark` makes the system prefer a dark colour scheme, as a reader's
/// might.
#[track_caller]
pub fn report_from(
    browser: &Path,
    profile: &Path,
    site: &Site,
    url: &str,
    dark: bool,
    deadline: Duration,
) -> String {
    reports_from(browser, profile, site, &[url], dark, deadline)
        .pop()
        .expect("one report")
}

/// Opens each of `urls` in a browser of its own, side by side (each with a
/// fresh profile under `profiles`), and returns one report per URL, in the
/// order they arrive.
#[track_caller]
pub fn reports_from(
    browser: &Path,
    profiles: &Path,
    site: &Site,
    urls: &[&str],
    dark: bool,
    deadline: Duration,
) -> Vec<String> {
    let mut browsers = Vec::new();
    for (n, url) in urls.iter().enumerate() {
        let profile = profiles.join(format!("profile-{n}"));
        let mut cmd = Command::new(browser);
        cmd.env("HOME", &profile)
            .env("XDG_CONFIG_HOME", &profile)
            .env("XDG_CACHE_HOME", &profile)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-extensions",
                "--no-first-run",
                "--mute-audio",
                // As browser automation does: a page in the background
                // must not be slowed down.
                "--disable-background-timer-throttling",
                "--disable-backgrounding-occluded-windows",
                "--disable-renderer-backgrounding",
                // A probe types a query every few milliseconds, and the
                // search keeps `?search=` in step with `replaceState`:
                // over 200 history changes in 10 s, Chromium ignores
                // navigations too ("Throttling navigation to prevent the
                // browser from hanging"), and following a result never
                // loads. Puppeteer passes this flag for the same reason.
                "--disable-ipc-flooding-protection",
                "--window-size=1200,900",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if dark {
            cmd.arg("--blink-settings=preferredColorScheme=0");
        }
        cmd.arg(url);
        browsers.push(ChildGuard::spawn(&mut cmd).unwrap_or_else(|err| panic!("{err}")));
    }
    let mut reports = Vec::new();
    let until = Instant::now() + deadline;
    while reports.len() < urls.len() {
        assert!(
            Instant::now() < until,
            "{urls:?} sent {} of {} reports within {deadline:?}",
            reports.len(),
            urls.len()
        );
        if let Some(report) = site.next_report(Duration::from_millis(200)) {
            reports.push(report);
            continue;
        }
        for browser in &mut browsers {
            if let Some(status) = browser.wait_timeout(Duration::ZERO).unwrap() {
                panic!("{} exited ({status}) before it reported", browser.program());
            }
        }
    }
    reports
}

/// The text of each page of a built book (its `<main>`), by path relative
/// to the book, with `/` separators. Leaves out what mdBook makes besides
/// the chapters: print.html, toc.html, 404.html and index.html (a copy of
/// the first chapter).
pub fn page_texts(site: &Path) -> BTreeMap<String, String> {
    let main = Regex::new(r"(?s)<main>(.*)</main>").unwrap();
    let tag = Regex::new(r"<[^>]*>").unwrap();
    let space = Regex::new(r"\s+").unwrap();
    let mut texts = BTreeMap::new();
    for file in html_files(site) {
        let page = file
            .strip_prefix(site)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if ["print.html", "toc.html", "404.html", "index.html"].contains(&page.as_str())
            || page.starts_with("pagefind")
        {
            continue;
        }
        let html = fs::read_to_string(&file).unwrap();
        let Some(found) = main.captures(&html) else {
            continue;
        };
        let text = tag.replace_all(&found[1], " ");
        let text = decode_entities(&text);
        texts.insert(page, space.replace_all(&text, " ").into_owned());
    }
    texts
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(html_files(&path));
            } else if path.extension().is_some_and(|ext| ext == "html") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn decode_entities(text: &str) -> String {
    let entity = Regex::new(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);").unwrap();
    entity
        .replace_all(text, |found: &regex::Captures| {
            let name = &found[1];
            let code = if let Some(hex) = name.strip_prefix("#x") {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(decimal) = name.strip_prefix('#') {
                decimal.parse().ok()
            } else {
                match name {
                    "lt" => Some('<' as u32),
                    "gt" => Some('>' as u32),
                    "amp" => Some('&' as u32),
                    "quot" => Some('"' as u32),
                    "apos" => Some('\'' as u32),
                    "nbsp" => Some(' ' as u32),
                    _ => None,
                }
            };
            code.and_then(char::from_u32)
                .map_or_else(|| found[0].to_owned(), String::from)
        })
        .into_owned()
}

/// Whether `text` has a Chinese (Han) character.
pub fn has_han(text: &str) -> bool {
    text.chars().any(is_han)
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// A term of the glossary, and the chapters its row names.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub text: String,
    pub chinese: bool,
    pub chapters: Vec<u32>,
}

/// The terms of the glossary (`src/appendix/glossary.md`): every Chinese
/// term, and every English one, as a reader would search for them, each
/// once (with the chapters of the first row that has it).
///
/// A cell gives alternatives separated by ` / `; a parenthesis gives more
/// (`(the notes: 数据套接字)`, `(file position)`); code spans and what
/// follows `;` or `:` are notes, not terms.
pub fn glossary_terms(glossary: &str) -> Vec<Term> {
    let code = Regex::new(r"`[^`]*`").unwrap();
    let paren = Regex::new(r"\(([^)]*)\)").unwrap();
    let quoted = Regex::new(r#""([^"]*)""#).unwrap();
    let mut terms: Vec<Term> = Vec::new();
    for line in glossary.lines() {
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
        if !line.trim_start().starts_with('|') || cells.len() < 2 || cells[0].contains("---") {
            continue;
        }
        if cells[0].trim() == "中文" {
            continue;
        }
        let chapters: Vec<u32> = cells
            .get(2)
            .map(|cell| {
                cell.split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        for (cell, chinese_cell) in [(cells[0], true), (cells[1], false)] {
            let cell = code.replace_all(cell, "");
            let mut alternatives: Vec<String> = Vec::new();
            for found in paren.captures_iter(&cell) {
                let inner = found[1].trim();
                let inner = inner.strip_prefix("the notes:").unwrap_or(inner);
                alternatives.extend(inner.split([',', ';']).map(str::to_owned));
            }
            for found in quoted.captures_iter(&cell) {
                alternatives.push(found[1].to_owned());
            }
            let rest = paren.replace_all(&cell, "");
            let rest = quoted.replace_all(&rest, "");
            let rest = rest.split([';', ':']).next().unwrap_or("");
            alternatives.push(rest.to_owned());
            for alternative in alternatives {
                for term in alternative.split(" / ") {
                    let parts: Vec<String> = if chinese_cell {
                        split_between_han(term)
                    } else {
                        vec![term.to_owned()]
                    };
                    for part in parts {
                        let part = part.split_whitespace().collect::<Vec<_>>().join(" ");
                        // Quotes would make a phrase query of it.
                        let part = part.trim_matches(|c: char| "…., \"“”'‘’".contains(c));
                        let keep = if chinese_cell {
                            has_han(part)
                        } else {
                            part.chars().any(|c| c.is_ascii_alphabetic())
                        };
                        if keep && !terms.iter().any(|t| t.text == part) {
                            terms.push(Term {
                                text: part.to_owned(),
                                chinese: chinese_cell,
                                chapters: chapters.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
    terms
}

/// `多进程/多线程并发模型` is two terms; `TCP/IP 四层模型` is one.
fn split_between_han(term: &str) -> Vec<String> {
    let chars: Vec<char> = term.chars().collect();
    let mut parts = vec![String::new()];
    for (i, &c) in chars.iter().enumerate() {
        let between_han = c == '/'
            && i > 0
            && i + 1 < chars.len()
            && is_han(chars[i - 1])
            && is_han(chars[i + 1]);
        if between_han {
            parts.push(String::new());
        } else {
            parts.last_mut().unwrap().push(c);
        }
    }
    parts
}

/// The pages a search for `term` must find: for a Chinese term, every page
/// with the term in it; for an English one, every page with each of its
/// words at the start of a word (a search engine matches `socket` in
/// `sockets`, not in `websocket`).
pub fn pages_with(term: &str, texts: &BTreeMap<String, String>) -> Vec<String> {
    let matches: Box<dyn Fn(&str) -> bool> = if has_han(term) {
        let term = term.to_owned();
        Box::new(move |text: &str| text.contains(&term))
    } else {
        let words: Vec<Regex> = term
            .split_whitespace()
            .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|word| word.chars().count() >= 2)
            .map(|word| {
                Regex::new(&format!(
                    r"(?i)(?:^|[^\p{{L}}\p{{N}}_]){}",
                    regex::escape(word)
                ))
                .unwrap()
            })
            .collect();
        Box::new(move |text: &str| words.iter().all(|word| word.is_match(text)))
    };
    texts
        .iter()
        .filter(|(_, text)| matches(text))
        .map(|(page, _)| page.clone())
        .collect()
}

/// `text` as a JavaScript (JSON) string literal.
pub fn js_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `items` as a JavaScript array of strings.
pub fn js_strings<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|item| js_string(item.as_ref())).collect();
    format!("[{}]", items.join(", "))
}
