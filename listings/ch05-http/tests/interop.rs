//! Real clients against the file server: ureq, curl, Python's http.client
//! and urllib. Their sessions are the output shown in the book.
mod common;

use std::process::Command;

use common::{
    HELLO, lines_until, normalise_log, normalise_response, program, public_dir, site, start,
};
use harness::{DEADLINE, Server, check_output, run};

fn serve_public() -> Server {
    let root = public_dir();
    Server::start(env!("CARGO_BIN_EXE_http_server"), &[root.to_str().unwrap()])
}

// ANCHOR: ureq_agent
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(DEADLINE))
        .build()
        .into()
}
// ANCHOR_END: ureq_agent

#[test]
fn ureq_gets_a_file_and_a_404() {
    let site = site();
    let server = start(&site, "5");
    let agent = agent();
    let mut response = agent
        .get(format!("http://{}/hello.txt", server.addr()))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/plain; charset=utf-8"
    );
    assert_eq!(response.body_mut().read_to_string().unwrap(), HELLO);

    let mut missing = agent
        .get(format!("http://{}/missing", server.addr()))
        .call()
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    assert_eq!(
        missing.body_mut().read_to_string().unwrap(),
        "404 Not Found\n"
    );
}

#[test]
fn ureq_head_sees_the_length_of_a_body_it_does_not_get() {
    let site = site();
    let server = start(&site, "5");
    let mut response = agent()
        .head(format!("http://{}/hello.txt", server.addr()))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-length"], "19");
    assert!(response.body_mut().read_to_vec().unwrap().is_empty());
}

// ANCHOR: ureq_reuse
#[test]
fn ureq_reuses_one_connection_for_several_requests() {
    let site = site();
    let mut server = start(&site, "5");
    let agent = agent();
    for path in ["/hello.txt", "/style.css", "/hello.txt"] {
        let mut response = agent
            .get(format!("http://{}{path}", server.addr()))
            .call()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        response.body_mut().read_to_vec().unwrap();
    }
    let log = lines_until(&mut server, "GET /style.css");
    let log = [log, lines_until(&mut server, "GET /hello.txt")].concat();
    // One connection opened, three requests served on it.
    assert_eq!(log.iter().filter(|l| l.contains("open from")).count(), 1);
    assert_eq!(
        log.iter()
            .filter(|l| l.starts_with("conn 1: GET /"))
            .count(),
        3,
        "{log:?}"
    );
}
// ANCHOR_END: ureq_reuse

#[test]
fn ureq_posts_a_body_and_gets_it_back() {
    let site = site();
    let server = start(&site, "5");
    let mut response = agent()
        .post(format!("http://{}/echo", server.addr()))
        .header("Content-Type", "application/json")
        .send("{\"name\": \"rust\"}")
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.body_mut().read_to_string().unwrap(),
        "{\"name\": \"rust\"}"
    );
}

/// Runs `curl -sS ARGS` and returns its output as the book shows it.
fn curl(curl: &std::path::Path, port: u16, args: &[&str]) -> String {
    let out = run(Command::new(curl).arg("-sS").args(args));
    out.assert_success();
    normalise_response(port, &out.stdout_text())
}

#[test]
fn a_curl_session_against_the_public_site() {
    let Some(curl_path) = program("curl") else {
        return;
    };
    let mut server = serve_public();
    let port = server.addr().port();
    let base = format!("http://{}", server.addr());
    let url = |path: &str| format!("{base}{path}");
    let mut log = Vec::new();

    let shown = curl(&curl_path, port, &["-i", &url("/hello.txt")]);
    check_output!("../output/curl_get.txt", &shown);
    log.extend(lines_until(&mut server, "closed"));

    let shown = curl(&curl_path, port, &["-I", &url("/hello.txt")]);
    check_output!("../output/curl_head.txt", &shown);
    log.extend(lines_until(&mut server, "closed"));

    // Without --path-as-is, curl itself would turn /../ into /.
    let shown = curl(
        &curl_path,
        port,
        &["-i", "--path-as-is", &url("/../Cargo.toml")],
    );
    check_output!("../output/curl_traversal.txt", &shown);
    log.extend(lines_until(&mut server, "closed"));

    // Two URLs in one command: curl reuses the connection.
    let shown = curl(&curl_path, port, &[&url("/hello.txt"), &url("/docs/")]);
    assert!(shown.starts_with(HELLO), "{shown}");
    log.extend(lines_until(&mut server, "closed"));

    let log = format!("listening on {}\n{}\n", server.addr(), log.join("\n"));
    check_output!(
        "../output/http_server_log.txt",
        &normalise_log(&server, &log)
    );
}

#[test]
fn curl_sends_a_form_and_waits_for_100_continue_before_large_uploads() {
    let Some(curl_path) = program("curl") else {
        return;
    };
    let site = site();
    let mut server = start(&site, "5");
    let url = format!("http://{}/form", server.addr());
    let shown = curl(
        &curl_path,
        server.addr().port(),
        &["-d", "name=rust&lang=en", &url],
    );
    assert_eq!(shown, "name=rust&lang=en");

    let upload = |size: usize, extra: &[&str]| {
        let file = site.dir.path().join(format!("upload-{size}.bin"));
        std::fs::write(&file, vec![b'u'; size]).unwrap();
        let out = run(Command::new(&curl_path)
            .args(["-sS", "-v"])
            .args(extra)
            .arg("--data-binary")
            .arg(format!("@{}", file.display()))
            .arg(&url));
        out.assert_success();
        out
    };
    // Asked to, curl waits for "100 Continue", then sends the body.
    let out = upload(100_000, &["-H", "Expect: 100-continue"]);
    assert!(out.stderr_text().contains("< HTTP/1.1 100 Continue"));
    assert_eq!(out.stdout.len(), 100_000);
    // A large body makes curl ask by itself. This one is over the server's
    // limit: curl gets 413 instead of 100 and never sends the body.
    let out = upload(1_500_000, &[]);
    let trace = out.stderr_text();
    assert!(trace.contains("> Expect: 100-continue"), "{trace}");
    assert!(
        trace.contains("< HTTP/1.1 413 Content Too Large"),
        "{trace}"
    );
    assert!(!trace.contains("100 Continue"), "{trace}");
    lines_until(&mut server, "POST /form HTTP/1.1 -> 413 Content Too Large");
}

#[test]
fn pythons_http_client_and_urllib_talk_to_the_server() {
    let Some(python) = program("python3") else {
        return;
    };
    let mut server = serve_public();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/client.py");
    let out = run(Command::new(python)
        .arg(script)
        .arg(server.addr().port().to_string()));
    out.assert_success();
    check_output!("../output/python_client.txt", &out.stdout_text());
    // http.client sent its three requests on one connection. (urllib's
    // connections may already be logged in between: the server logs a
    // request after answering it, and Python moves on at once.)
    let log = lines_until(&mut server, "conn 1: GET /nope");
    let connection_of = |request: &str| {
        log.iter()
            .find(|line| line.contains(request))
            .and_then(|line| line.split(':').next())
            .unwrap_or_else(|| panic!("no {request} in {log:?}"))
    };
    assert_eq!(connection_of("GET /hello.txt"), "conn 1");
    assert_eq!(connection_of("HEAD /hello.txt"), "conn 1");
    assert!(
        log.iter()
            .any(|l| l == "conn 1: HEAD /hello.txt HTTP/1.1 -> 200 OK")
    );
}

#[test]
fn a_headless_browser_renders_the_page_with_its_stylesheet() {
    let Some(browser) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(program)
    else {
        return;
    };
    let mut server = serve_public();
    // The browser's profile, cache and config all go to a temporary home.
    let home = tempfile::tempdir().unwrap();
    let out = run(Command::new(browser)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("XDG_CACHE_HOME", home.path())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", home.path().display()))
        .arg("--dump-dom")
        .arg(format!("http://{}/", server.addr())));
    out.assert_success();
    assert!(
        out.stdout_text().contains("<h1>Served by http_server</h1>"),
        "{}",
        out.stdout_text()
    );
    // The page made the browser ask for its stylesheet too.
    lines_until(&mut server, "GET /style.css HTTP/1.1 -> 200 OK");
}

#[test]
fn curl_removes_dot_segments_unless_told_not_to() {
    let Some(curl_path) = program("curl") else {
        return;
    };
    let mut server = serve_public();
    let url = format!("http://{}/../Cargo.toml", server.addr());
    let status = |extra: &[&str]| {
        let out = run(Command::new(&curl_path)
            .args(["-sS", "-o", "/dev/null", "-w", "%{http_code}"])
            .args(extra)
            .arg(&url));
        out.assert_success();
        out.stdout_text()
    };
    // curl sends /Cargo.toml, which is not below the root either: 404.
    assert_eq!(status(&[]), "404");
    lines_until(&mut server, "GET /Cargo.toml HTTP/1.1 -> 404 Not Found");
    // Sent as typed, the server sees the `..` and refuses it.
    assert_eq!(status(&["--path-as-is"]), "403");
    lines_until(&mut server, "GET /../Cargo.toml HTTP/1.1 -> 403 Forbidden");
}
