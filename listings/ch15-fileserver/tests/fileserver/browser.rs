//! Headless Chromium against `fileserver`: a page with images in three
//! formats, a stylesheet, a script and a WAV file it seeks in, loaded
//! twice.
//!
//! The page checks what a reader would see and POSTs a report to a
//! listener of the test's own (`fileserver` takes no POST).
//! Between Chromium and `fileserver` sits a small logging proxy, so the
//! test also sees the server's side: the `Range` requests the seek makes
//! and the 206 answers, and the conditional requests of the second visit
//! and their 304s.

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime};

use harness::{ChildGuard, DEADLINE, Server};

/// How long the browser may take for both visits.
const BROWSER_DEADLINE: Duration = Duration::from_secs(60);

/// The WAV file: 16-bit stereo at 48 kHz, a minute, 11.5 MB of samples.
const RATE: u32 = 48_000;
const CHANNELS: u16 = 2;
const BYTES_PER_SECOND: u32 = RATE * CHANNELS as u32 * 2;
const SECONDS: u32 = 60;
/// The header before the samples.
const WAV_HEADER: u32 = 44;
/// Where the page seeks to, in seconds: near the end, far beyond the
/// few MB Chromium reads with `preload="metadata"` before the seek.
const SEEK_TO: f64 = 58.5;

#[test]
fn chromium_loads_images_and_seeks_in_audio() {
    let Some(chromium) = chromium() else {
        eprintln!(
            "note: skipping the browser test: no chromium, chromium-browser or \
             google-chrome on PATH (apt-get install chromium)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("public");
    let wav_length = write_site(&root);
    let server = Server::start(
        env!("CARGO_BIN_EXE_fileserver"),
        &[root.to_str().expect("temp paths are UTF-8")],
    );
    let proxy = Proxy::start(server.addr());
    let (reports, report_addr) = ReportListener::start();

    let profile = dir.path().join("profile");
    fs::create_dir(&profile).unwrap();
    let url = format!("http://{}/?report={}", proxy.addr(), report_addr.port());
    let mut browser = launch(&chromium, &profile, &url);
    let until = Instant::now() + BROWSER_DEADLINE;
    let first = reports.next(&mut browser, until);
    let second = reports.next(&mut browser, until);
    drop(browser); // killed and reaped: no more requests from here on

    // Shown if an assertion fails.
    let log = proxy.log();
    eprintln!("reports:\n{first}\n{second}\nrequests:");
    for exchange in &log {
        eprintln!("{exchange}");
    }

    // What the page saw, on both visits: every image decoded at its size,
    // the stylesheet applied.
    for (visit, report) in [(1, &first), (2, &second)] {
        assert!(
            report.starts_with(&format!("{{\"visit\":{visit},"))
                && report.ends_with(",\"end\":true}"),
            "visit {visit}: the page's checks failed: {report}"
        );
        for image in [
            "\"pixel.png\":\"16x8\"",
            "\"logo.svg\":\"24x12\"",
            "\"icon.ico\":\"32x32\"",
        ] {
            assert!(
                report.contains(image),
                "visit {visit}: not {image}: {report}"
            );
        }
        assert!(
            report.contains("\"color\":\"rgb(1, 2, 3)\""),
            "visit {visit}: style.css not applied: {report}"
        );
    }
    // The audio's length comes from the WAV header, and the seek landed
    // where it was sent, with data to play (HAVE_CURRENT_DATA or more).
    assert_eq!(
        json_number::<f64>(&first, "duration"),
        Some(f64::from(SECONDS)),
        "{first}"
    );
    assert_eq!(
        json_number::<f64>(&first, "currentTime"),
        Some(SEEK_TO),
        "{first}"
    );
    let ready: u32 = json_number(&first, "readyState").expect("readyState");
    assert!(ready >= 2, "readyState {ready} after the seek");

    // What the server saw. Every answer is a 200, a 206 with exactly the
    // part the Range asked for, or a 304 to a conditional request.
    for exchange in &log {
        match exchange.status {
            None | Some(200) => {}
            Some(206) => {
                assert_eq!(exchange.path(), "/tone.wav", "{exchange}");
                let range = exchange.range.as_deref().expect("a 206 to a Range request");
                let (first, last) = parse_range(range, wav_length).expect("a range Chromium sent");
                let expected = format!("bytes {first}-{last}/{wav_length}");
                assert_eq!(
                    exchange.content_range.as_deref(),
                    Some(expected.as_str()),
                    "{exchange}"
                );
            }
            Some(304) => assert!(!exchange.conditions.is_empty(), "{exchange}"),
            Some(_) => panic!("an error: {exchange}"),
        }
    }
    // The seek: a Range request from where it lands (Chromium rounds down
    // to its 32 KiB blocks), far past anything read before, answered with
    // 206. Chromium sends it with If-Range, the ETag of the part it has
    // cached; had fileserver not recognised it, the answer would have been
    // 200 and the whole file.
    let lands = u64::from(WAV_HEADER) + (SEEK_TO * f64::from(BYTES_PER_SECOND)) as u64;
    let seek = log.iter().find(|exchange| {
        exchange.path() == "/tone.wav"
            && exchange
                .range
                .as_deref()
                .and_then(|range| parse_range(range, wav_length))
                .is_some_and(|(first, _)| first <= lands && lands - first < 32 << 10)
    });
    let seek =
        seek.unwrap_or_else(|| panic!("no Range request from the 32 KiB block of byte {lands}"));
    assert_eq!(seek.status, Some(206), "{seek}");
    // The second visit: Chromium has every image cached, none of them
    // fresh (see `write_site`), so it asks with If-None-Match and gets 304.
    for image in ["/pixel.png", "/logo.svg", "/icon.ico"] {
        let revalidated = log.iter().any(|exchange| {
            exchange.visit == 2
                && exchange.path() == image
                && exchange
                    .conditions
                    .iter()
                    .any(|name| name == "If-None-Match")
                && exchange.status == Some(304)
        });
        assert!(revalidated, "no 304 for {image} on the second visit");
    }
}

/// The first and last byte of `bytes=FIRST-[LAST]` in a file of `total`
/// bytes.
fn parse_range(range: &str, total: u64) -> Option<(u64, u64)> {
    let (first, last) = range.strip_prefix("bytes=")?.split_once('-')?;
    let first = first.parse().ok()?;
    let last = match last {
        "" => total - 1,
        last => last.parse::<u64>().ok()?.min(total - 1),
    };
    Some((first, last))
}

/// Chromium (or Chrome) on the PATH, if there is one.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Starts headless Chromium on `url` with a fresh profile, as the book's
/// own rendering tests do (`tests/src/rendered.rs`).
fn launch(chromium: &Path, profile: &Path, url: &str) -> ChildGuard {
    let mut cmd = Command::new(chromium);
    cmd.env("HOME", profile)
        .env("XDG_CONFIG_HOME", profile)
        .env("XDG_CACHE_HOME", profile)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-extensions",
            "--no-first-run",
            "--mute-audio",
            "--disable-background-timer-throttling",
            "--disable-backgrounding-occluded-windows",
            "--disable-renderer-backgrounding",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    ChildGuard::spawn(&mut cmd).unwrap_or_else(|err| panic!("{err}"))
}

/// Writes the site and returns the length of the WAV file.
///
/// The files are dated an hour ahead. Without Cache-Control, Chromium
/// takes a response as fresh for a tenth of the time between its
/// Last-Modified and its Date (heuristic freshness, RFC 9111, 4.2.2): for
/// files written a moment before, a tenth of a second or so, and whether
/// the second visit asked again at all would depend on the machine's
/// speed. A Last-Modified after the Date gives no heuristic freshness (and
/// a server that replaced it with the Date, as RFC 9110, 8.8.2.1, asks,
/// would give zero), so Chromium revalidates every time.
fn write_site(root: &Path) -> u64 {
    fs::create_dir_all(root).unwrap();
    let write = |name: &str, bytes: &[u8]| fs::write(root.join(name), bytes).unwrap();
    write("index.html", INDEX.as_bytes());
    write("style.css", b"h1 { color: rgb(1, 2, 3); }\n");
    write(
        "check.js",
        CHECK.replace("SEEK_TO", &SEEK_TO.to_string()).as_bytes(),
    );
    let pixel = png(16, 8);
    write("pixel.png", &pixel);
    write(
        "logo.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"12\">\
          <rect width=\"24\" height=\"12\" fill=\"#2a6\"/></svg>\n",
    );
    write("icon.ico", &ico(&png(32, 32), 32));
    let wav = wav();
    write("tone.wav", &wav);
    let ahead = SystemTime::now() + Duration::from_secs(3600);
    for entry in fs::read_dir(root).unwrap() {
        let file = fs::File::options()
            .write(true)
            .open(entry.unwrap().path())
            .unwrap();
        file.set_modified(ahead).unwrap();
    }
    wav.len() as u64
}

const INDEX: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>fileserver in a browser</title>
<link rel="stylesheet" href="style.css">
<link rel="icon" href="icon.ico">
</head>
<body>
<h1>Served by fileserver</h1>
<img src="pixel.png" alt="a PNG">
<img src="logo.svg" alt="an SVG">
<img src="icon.ico" alt="an icon">
<audio src="tone.wav" preload="metadata"></audio>
<script src="check.js"></script>
</body>
</html>
"#;

/// The page's checks. The first visit checks the images and the
/// stylesheet, waits for the audio's metadata, seeks near the end and
/// waits for the seek to finish; it reports, then visits the page again,
/// which checks the images and the stylesheet once more.
const CHECK: &str = r#"
const params = new URLSearchParams(location.search);
const visit = params.has("again") ? 2 : 1;
const reportUrl = `http://127.0.0.1:${params.get("report")}/report`;
const report = (result) =>
  fetch(reportUrl, { method: "POST", mode: "no-cors", body: JSON.stringify(result) });
const once = (target, name) => new Promise((resolve, reject) => {
  target.addEventListener(name, resolve, { once: true });
  target.addEventListener("error", () => reject(new Error(`error waiting for ${name}`)), { once: true });
});

async function check() {
  const result = { visit };
  if (document.readyState !== "complete") await once(window, "load");
  for (const img of document.images) {
    result[img.getAttribute("src")] =
      img.complete && img.naturalWidth > 0 && `${img.naturalWidth}x${img.naturalHeight}`;
  }
  result.color = getComputedStyle(document.querySelector("h1")).color;
  if (visit === 1) {
    const audio = document.querySelector("audio");
    if (audio.readyState < 1) await once(audio, "loadedmetadata");
    result.duration = audio.duration;
    const seeked = once(audio, "seeked");
    audio.currentTime = SEEK_TO;
    await seeked;
    if (audio.readyState < 2) await once(audio, "canplay");
    result.currentTime = audio.currentTime;
    result.readyState = audio.readyState;
  }
  result.end = true;
  return result;
}

check()
  .catch((error) => ({ visit, error: String(error) }))
  .then((result) => report(result))
  .then(() => {
    if (visit === 1) location.href = `/?report=${params.get("report")}&again`;
  });
"#;

/// The value of `"key":N` in a flat JSON report.
fn json_number<T: std::str::FromStr>(report: &str, key: &str) -> Option<T> {
    let rest = report.split(&format!("\"{key}\":")).nth(1)?;
    let end = rest.find([',', '}'])?;
    rest[..end].parse().ok()
}

// --- The files the site is made of ----------------------------------------

/// A `width`×`height` RGB PNG with a gradient, its pixels in stored
/// (uncompressed) deflate blocks, so no compressor is needed.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // filter type: none
        for x in 0..width {
            raw.extend([(x * 255 / width) as u8, (y * 255 / height) as u8, 128]);
        }
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (n, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(n + 1 == blocks.len())); // BFINAL, BTYPE 00
        let len = block.len() as u16;
        zlib.extend(len.to_le_bytes());
        zlib.extend((!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend(adler32(&raw).to_be_bytes());

    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", &ihdr), (b"IDAT", &zlib), (b"IEND", &Vec::new())] {
        png.extend((data.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&png[start..]);
        png.extend(crc.to_be_bytes());
    }
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// A Windows icon holding one PNG image of `size`×`size` pixels.
fn ico(png: &[u8], size: u8) -> Vec<u8> {
    let mut ico = Vec::new();
    ico.extend([0, 0, 1, 0, 1, 0]); // reserved, type 1 (icon), one image
    ico.extend([size, size, 0, 0]); // width, height, no palette, reserved
    ico.extend(1u16.to_le_bytes()); // colour planes
    ico.extend(32u16.to_le_bytes()); // bits per pixel
    ico.extend((png.len() as u32).to_le_bytes());
    ico.extend(22u32.to_le_bytes()); // where the image starts
    ico.extend_from_slice(png);
    ico
}

/// A PCM WAV file: a quiet 400 Hz square wave.
fn wav() -> Vec<u8> {
    let block = CHANNELS * 2;
    let data_len = BYTES_PER_SECOND * SECONDS;
    let mut wav = Vec::with_capacity((WAV_HEADER + data_len) as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend((36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend(16u32.to_le_bytes());
    wav.extend(1u16.to_le_bytes()); // PCM
    wav.extend(CHANNELS.to_le_bytes());
    wav.extend(RATE.to_le_bytes());
    wav.extend(BYTES_PER_SECOND.to_le_bytes());
    wav.extend(block.to_le_bytes());
    wav.extend(16u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend(data_len.to_le_bytes());
    assert_eq!(wav.len(), WAV_HEADER as usize);
    // One second of samples, 400 whole periods, repeated.
    let mut second = Vec::with_capacity(BYTES_PER_SECOND as usize);
    for n in 0..RATE {
        let sample: i16 = if (n / 60).is_multiple_of(2) {
            1000
        } else {
            -1000
        };
        for _ in 0..CHANNELS {
            second.extend(sample.to_le_bytes());
        }
    }
    for _ in 0..SECONDS {
        wav.extend_from_slice(&second);
    }
    wav
}

// --- The report listener ---------------------------------------------------

/// Listens on a loopback port of its own and hands each connection (with
/// its number) to `handle` in a thread of its own, until dropped.
struct Acceptor {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Acceptor {
    fn start(handle: impl Fn(usize, TcpStream) + Send + Sync + 'static) -> Acceptor {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let handle = Arc::new(handle);
        let thread = thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(DEADLINE));
                let _ = stream.set_write_timeout(Some(DEADLINE));
                let handle = Arc::clone(&handle);
                thread::spawn(move || handle(n, stream));
            }
        });
        Acceptor {
            addr,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Acceptor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Receives the page's reports: one POST per connection, its body sent on
/// a channel.
struct ReportListener {
    reports: Receiver<String>,
    _acceptor: Acceptor,
}

impl ReportListener {
    fn start() -> (ReportListener, SocketAddr) {
        let (tx, reports) = mpsc::channel();
        let tx = Mutex::new(tx);
        let acceptor = Acceptor::start(move |_, stream| {
            let tx = tx.lock().unwrap().clone();
            let _ = receive_report(stream, &tx);
        });
        let addr = acceptor.addr;
        (
            ReportListener {
                reports,
                _acceptor: acceptor,
            },
            addr,
        )
    }

    /// The next report, waiting until `until` at most; fails early if the
    /// browser exits.
    #[track_caller]
    fn next(&self, browser: &mut ChildGuard, until: Instant) -> String {
        loop {
            let left = until.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "no report from Chromium within {BROWSER_DEADLINE:?}"
            );
            if let Ok(report) = self
                .reports
                .recv_timeout(left.min(Duration::from_millis(200)))
            {
                return report;
            }
            if let Some(status) = browser.wait_timeout(Duration::ZERO).unwrap() {
                panic!("Chromium exited ({status}) before it reported");
            }
        }
    }
}

fn receive_report(stream: TcpStream, tx: &Sender<String>) -> io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let Some(head) = read_head(&mut reader)? else {
        return Ok(());
    };
    let length: u64 = header(&head, "Content-Length")
        .and_then(|value| value.parse().ok())
        .unwrap_or(0);
    let mut body = String::new();
    reader
        .take(length.min(64 << 10))
        .read_to_string(&mut body)?;
    if head[0].starts_with("POST ") {
        let _ = tx.send(body);
    }
    (&stream).write_all(
        b"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n",
    )
}

// --- The logging proxy -----------------------------------------------------

/// One request through the proxy and the head of its response.
#[derive(Debug, Clone, Default)]
struct Exchange {
    /// Which of the page's two visits made it.
    visit: u8,
    connection: usize,
    request: String,
    range: Option<String>,
    /// The conditional headers it carried: `If-None-Match`,
    /// `If-Modified-Since`, `If-Range`.
    conditions: Vec<String>,
    status: Option<u16>,
    content_range: Option<String>,
    /// How many bytes of the body the browser took before it was done
    /// with the response (it closes a media response it no longer needs).
    body_bytes: u64,
}

impl std::fmt::Display for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "visit {} connection {}: {}",
            self.visit, self.connection, self.request
        )?;
        if let Some(range) = &self.range {
            write!(f, ", Range: {range}")?;
        }
        for name in &self.conditions {
            write!(f, ", {name}")?;
        }
        match self.status {
            Some(status) => write!(f, " -> {status}")?,
            None => write!(f, " -> no answer")?,
        }
        if let Some(content_range) = &self.content_range {
            write!(f, ", Content-Range: {content_range}")?;
        }
        write!(f, ", {} body bytes relayed", self.body_bytes)
    }
}

impl Exchange {
    /// The request target without its query.
    fn path(&self) -> &str {
        let target = self.request.split(' ').nth(1).unwrap_or("");
        target.split('?').next().unwrap_or("")
    }
}

type Log = Arc<Mutex<Vec<Exchange>>>;

/// Relays HTTP/1.1 between Chromium and `fileserver`, one request and
/// response at a time per connection (Chromium does not pipeline), and
/// logs each exchange. A request for `/?…&again` starts the second visit.
struct Proxy {
    log: Log,
    acceptor: Acceptor,
}

impl Proxy {
    fn start(upstream: SocketAddr) -> Proxy {
        let log = Log::default();
        let visit = Arc::new(Mutex::new(1u8));
        let shared = Arc::clone(&log);
        let acceptor = Acceptor::start(move |connection, client| {
            relay(connection, client, upstream, &shared, &visit);
        });
        Proxy { log, acceptor }
    }

    fn addr(&self) -> SocketAddr {
        self.acceptor.addr
    }

    fn log(&self) -> Vec<Exchange> {
        self.log.lock().unwrap().clone()
    }
}

fn relay(
    connection: usize,
    client: TcpStream,
    upstream: SocketAddr,
    log: &Log,
    visit: &Arc<Mutex<u8>>,
) {
    let Ok(server) = harness::connect(upstream) else {
        return;
    };
    let (tx, rx) = mpsc::channel();
    let requests = {
        let (client, server) = (client.try_clone().unwrap(), server.try_clone().unwrap());
        let (log, visit) = (Arc::clone(log), Arc::clone(visit));
        thread::spawn(move || {
            let _ = forward_requests(connection, &client, &server, &log, &visit, &tx);
            close(&client, &server);
        })
    };
    let _ = forward_responses(&client, &server, log, &rx);
    close(&client, &server);
    let _ = requests.join();
}

fn close(client: &TcpStream, server: &TcpStream) {
    let _ = client.shutdown(Shutdown::Both);
    let _ = server.shutdown(Shutdown::Both);
}

fn forward_requests(
    connection: usize,
    client: &TcpStream,
    mut server: &TcpStream,
    log: &Log,
    visit: &Mutex<u8>,
    tx: &Sender<(usize, bool)>,
) -> io::Result<()> {
    let mut reader = BufReader::new(client);
    while let Some(head) = read_head(&mut reader)? {
        let mut exchange = Exchange {
            connection,
            request: head[0].clone(),
            range: header(&head, "Range").map(str::to_owned),
            conditions: ["If-None-Match", "If-Modified-Since", "If-Range"]
                .into_iter()
                .filter(|name| header(&head, name).is_some())
                .map(str::to_owned)
                .collect(),
            ..Exchange::default()
        };
        if exchange.request.contains("&again ") {
            *visit.lock().unwrap() = 2;
        }
        exchange.visit = *visit.lock().unwrap();
        let index = {
            let mut log = log.lock().unwrap();
            log.push(exchange);
            log.len() - 1
        };
        let _ = tx.send((index, head[0].starts_with("HEAD ")));
        server.write_all(format!("{}\r\n\r\n", head.join("\r\n")).as_bytes())?;
        let length: u64 = header(&head, "Content-Length")
            .and_then(|value| value.parse().ok())
            .unwrap_or(0);
        io::copy(&mut (&mut reader).take(length), &mut server)?;
    }
    Ok(())
}

fn forward_responses(
    mut client: &TcpStream,
    server: &TcpStream,
    log: &Log,
    rx: &Receiver<(usize, bool)>,
) -> io::Result<()> {
    let mut reader = BufReader::new(server);
    while let Some(head) = read_head(&mut reader)? {
        let (index, head_only) = rx
            .recv_timeout(DEADLINE)
            .map_err(|_| io::Error::other("a response to no request"))?;
        let status: u16 = head[0]
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| io::Error::other("bad status line"))?;
        {
            let mut log = log.lock().unwrap();
            log[index].status = Some(status);
            log[index].content_range = header(&head, "Content-Range").map(str::to_owned);
        }
        client.write_all(format!("{}\r\n\r\n", head.join("\r\n")).as_bytes())?;
        let length: u64 = if head_only || matches!(status, 100..=199 | 204 | 304) {
            0
        } else {
            header(&head, "Content-Length")
                .and_then(|value| value.parse().ok())
                .ok_or_else(|| io::Error::other("a response without Content-Length"))?
        };
        let mut body = (&mut reader).take(length);
        let mut chunk = [0; 64 << 10];
        loop {
            let n = body.read(&mut chunk)?;
            if n == 0 {
                break;
            }
            client.write_all(&chunk[..n])?;
            log.lock().unwrap()[index].body_bytes += n as u64;
        }
    }
    Ok(())
}

/// Reads one message head (the start line and the header lines, without
/// CRLFs); `None` at a clean end of stream. At most 100 lines of 8 KiB.
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<Vec<String>>> {
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.take(8 << 10).read_line(&mut line)? == 0 {
            return if head.is_empty() {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            return Ok(Some(head));
        }
        if head.len() == 100 {
            return Err(io::Error::other("a head of more than 100 lines"));
        }
        head.push(line.to_owned());
    }
}

fn header<'a>(head: &'a [String], name: &str) -> Option<&'a str> {
    head[1..].iter().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}
