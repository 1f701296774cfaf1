//! `cib serve` over real HTTP: the built binary on a free port, serving temporary folders.

#[path = "serve/support.rs"]
mod support;

use base64::Engine as _;
use reqwest::blocking::Response;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{Read, Write};
use std::time::Duration;
use support::*;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_else(|| panic!("no {name} header in {headers:?}"))
}

fn get(server: &Server, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = client().get(format!("{}{}", server.url, path.trim_start_matches('/')));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().unwrap()
}

#[test]
fn serves_the_page_at_the_root_with_its_security_headers() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    for path in ["/", "/index.html"] {
        let response = get(&server, path, &[]);
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
        assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
        assert_eq!(header(&headers, "referrer-policy"), "no-referrer");
        let csp = header(&headers, "content-security-policy");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(!csp.contains(" 'unsafe-eval'"), "{csp}");
        assert!(!csp.contains("'unsafe-inline'"), "{csp}");
        assert!(!csp.contains("frame-ancestors"), "{csp}");
        assert!(csp.contains("object-src 'none'"), "{csp}");
        // The page's own inline script, and no other, may run.
        assert!(INDEX.contains(&format!(">{BOOT}</script>")));
        let boot = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(BOOT));
        assert!(csp.contains(&format!("'sha256-{boot}'")), "{csp}");
        assert_eq!(csp.matches("'sha256-").count(), 1, "{csp}");
        assert!(headers.get("x-frame-options").is_none());
        assert_eq!(response.text().unwrap(), INDEX);
    }
    // A subfolder with an index is a page too; the JS is not a page.
    let docs = get(&server, "/docs/", &[]);
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.headers().contains_key("content-security-policy"));
    let js = get(&server, JS, &[]);
    assert!(!js.headers().contains_key("content-security-policy"));
    assert_eq!(header(js.headers(), "x-content-type-options"), "nosniff");
}

#[test]
fn announces_the_right_content_types() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    for (path, expected) in [
        ("/", "text/html; charset=utf-8"),
        ("/alias.html", "text/html; charset=utf-8"),
        (WASM, "application/wasm"),
        (JS, "text/javascript"),
        ("/style.css", "text/css"),
        ("/logo.svg", "image/svg+xml"),
        ("/data.json", "application/json"),
        ("/base_installers/manifest.json", "application/json"),
        ("/base_installers/seattle_linux.tgz", "application/gzip"),
        ("/base_installers/seattle_mac.tgz", "application/gzip"),
        ("/base_installers/extra.tar.gz", "application/gzip"),
        ("/base_installers/seattle_win.zip", "application/zip"),
        ("/base_installers/seattle_android.zip", "application/zip"),
    ] {
        let response = get(&server, path, &[]);
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let content_type = header(response.headers(), "content-type");
        assert!(content_type.starts_with(expected), "{path}: {content_type}");
    }
}

#[test]
fn sets_cache_control_by_kind_of_file() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    let immutable = "public, max-age=31536000, immutable";
    for (path, expected) in [
        ("/", "no-cache"),
        ("/index.html", "no-cache"),
        ("/docs/", "no-cache"),
        (JS, immutable),
        (WASM, immutable),
        ("/logo.svg", "public, max-age=300, must-revalidate"),
        ("/base_installers/manifest.json", "no-cache"),
        ("/base_installers/seattle_win.zip", "no-cache"),
        ("/missing.js", "no-store"),
    ] {
        let response = get(&server, path, &[]);
        assert_eq!(
            header(response.headers(), "cache-control"),
            expected,
            "{path}"
        );
    }
}

#[test]
fn answers_conditional_requests_with_304() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    for path in [
        "/",
        WASM,
        "/base_installers/seattle_linux.tgz",
        "/base_installers/manifest.json",
    ] {
        let first = get(&server, path, &[]);
        let etag = header(first.headers(), "etag").to_owned();
        let again = get(&server, path, &[("if-none-match", &etag)]);
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(header(again.headers(), "etag"), etag);
        assert!(again.bytes().unwrap().is_empty());
        let weak = format!("W/{etag}");
        let listed = format!("\"nope\", {weak}");
        let weakly = get(&server, path, &[("if-none-match", &listed)]);
        assert_eq!(weakly.status(), StatusCode::NOT_MODIFIED, "{path}");
        let other = get(&server, path, &[("if-none-match", "\"other\"")]);
        assert_eq!(other.status(), StatusCode::OK, "{path}");
    }
    for path in ["/", JS, "/base_installers/seattle_win.zip"] {
        let first = get(&server, path, &[]);
        let modified = header(first.headers(), "last-modified").to_owned();
        let again = get(&server, path, &[("if-modified-since", &modified)]);
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        let old = "Sat, 01 Jan 2000 00:00:00 GMT";
        let stale = get(&server, path, &[("if-modified-since", old)]);
        assert_eq!(stale.status(), StatusCode::OK, "{path}");
    }
}

#[test]
fn serves_ranges_and_refuses_unsatisfiable_ones() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    let path = "/base_installers/seattle_linux.tgz";
    let whole = fs::read(fixture.installers().join("seattle_linux.tgz")).unwrap();
    let len = whole.len();

    let part = get(&server, path, &[("range", "bytes=100-199")]);
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        header(part.headers(), "content-range"),
        format!("bytes 100-199/{len}")
    );
    assert_eq!(header(part.headers(), "content-length"), "100");
    assert_eq!(part.bytes().unwrap(), whole[100..200]);

    let tail = get(&server, path, &[("range", "bytes=-10")]);
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes().unwrap(), whole[len - 10..]);

    let open = get(&server, path, &[("range", &format!("bytes={}-", len - 3))]);
    assert_eq!(open.bytes().unwrap(), whole[len - 3..]);

    // A range and compression do not mix: the range is of the file's own bytes.
    let text = get(
        &server,
        JS,
        &[("range", "bytes=0-9"), ("accept-encoding", "gzip")],
    );
    assert_eq!(text.status(), StatusCode::PARTIAL_CONTENT);
    assert!(!text.headers().contains_key("content-encoding"));
    assert_eq!(text.bytes().unwrap().len(), 10);

    for range in [
        format!("bytes={len}-"),
        format!("bytes={}-{}", len + 5, len + 9),
    ] {
        let beyond = get(&server, path, &[("range", &range)]);
        assert_eq!(
            beyond.status(),
            StatusCode::RANGE_NOT_SATISFIABLE,
            "{range}"
        );
        assert_eq!(
            header(beyond.headers(), "content-range"),
            format!("bytes */{len}")
        );
    }
}

#[test]
fn head_sends_the_headers_without_the_body() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    for (path, file) in [
        (
            "/base_installers/seattle_win.zip",
            fixture.installers().join("seattle_win.zip"),
        ),
        ("/", fixture.site().join("index.html")),
        (WASM, fixture.site().join(&WASM[1..])),
    ] {
        let len = fs::metadata(file).unwrap().len();
        let request = format!(
            "HEAD {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        );
        let response = raw(&server.addr, request.as_bytes());
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.header("content-length"),
            Some(len.to_string().as_str())
        );
        assert!(response.header("etag").is_some());
        assert!(response.body.is_empty(), "{path}: a HEAD answer had a body");
    }
    let manifest = client()
        .head(format!("{}base_installers/manifest.json", server.url))
        .send()
        .unwrap();
    assert_eq!(manifest.status(), StatusCode::OK);
    let full = get(&server, "/base_installers/manifest.json", &[])
        .bytes()
        .unwrap();
    assert_eq!(
        header(manifest.headers(), "content-length"),
        full.len().to_string()
    );
}

#[test]
fn refuses_other_methods_with_405_and_allow() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    let client = client();
    for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"] {
        for path in ["", "index.html", "base_installers/manifest.json"] {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let response = client
                .request(method.clone(), format!("{}{path}", server.url))
                .body("x")
                .send()
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            assert_eq!(header(response.headers(), "allow"), "GET, HEAD, OPTIONS");
        }
    }
    let options = client
        .request(reqwest::Method::OPTIONS, &server.url)
        .send()
        .unwrap();
    assert!(options.status().is_success(), "{}", options.status());
}

#[test]
fn lets_any_origin_fetch_the_wasm_the_js_and_the_installers() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    let origin = ("origin", "https://clearinghouse.example");
    for path in [
        WASM,
        JS,
        "/base_installers/seattle_linux.tgz",
        "/base_installers/manifest.json",
    ] {
        let response = get(&server, path, &[origin]);
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            header(response.headers(), "access-control-allow-origin"),
            "*"
        );
        let exposed = header(response.headers(), "access-control-expose-headers").to_lowercase();
        for name in ["content-length", "content-range", "etag"] {
            assert!(exposed.contains(name), "{exposed}");
        }

        let preflight = client()
            .request(
                reqwest::Method::OPTIONS,
                format!("{}{}", server.url, &path[1..]),
            )
            .header("origin", origin.1)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "range")
            .send()
            .unwrap();
        assert!(preflight.status().is_success(), "{}", preflight.status());
        let headers = preflight.headers();
        assert_eq!(header(headers, "access-control-allow-origin"), "*");
        assert!(header(headers, "access-control-allow-methods").contains("GET"));
        assert!(header(headers, "access-control-allow-headers").contains("range"));
    }
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli_decompressor::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn compresses_text_and_wasm_for_clients_that_accept_it() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    for (path, file) in [
        (WASM, &WASM[1..]),
        (JS, &JS[1..]),
        ("/", "index.html"),
        ("/style.css", "style.css"),
    ] {
        let original = fs::read(fixture.site().join(file)).unwrap();
        for (encoding, decode) in [("gzip", gunzip as fn(&[u8]) -> Vec<u8>), ("br", unbrotli)] {
            let response = get(&server, path, &[("accept-encoding", encoding)]);
            assert_eq!(response.status(), StatusCode::OK);
            let headers = response.headers().clone();
            assert_eq!(header(&headers, "content-encoding"), encoding, "{path}");
            assert!(header(&headers, "vary")
                .to_lowercase()
                .contains("accept-encoding"));
            assert!(header(&headers, "etag").starts_with("W/"), "{path}");
            let body = response.bytes().unwrap();
            assert!(body.len() < original.len(), "{path} {encoding}");
            assert_eq!(decode(&body), original, "{path} {encoding}");
        }
        let plain = get(&server, path, &[]);
        assert!(!plain.headers().contains_key("content-encoding"));
        assert_eq!(plain.bytes().unwrap(), original);
    }
    // Archives are compressed already.
    let zip = get(
        &server,
        "/base_installers/seattle_win.zip",
        &[("accept-encoding", "gzip, br")],
    );
    assert!(!zip.headers().contains_key("content-encoding"));
    assert_eq!(
        zip.bytes().unwrap(),
        fs::read(fixture.installers().join("seattle_win.zip")).unwrap()
    );
}

fn manifest(server: &Server) -> serde_json::Value {
    get(server, "/base_installers/manifest.json", &[])
        .json()
        .unwrap()
}

#[test]
fn the_manifest_lists_every_installer_with_its_real_size_and_sha256() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    let json = manifest(&server);
    let installers = json["installers"].as_object().unwrap();
    let expected = [
        ("linux", "seattle_linux.tgz"),
        ("mac", "seattle_mac.tgz"),
        ("windows", "seattle_win.zip"),
        ("android", "seattle_android.zip"),
        ("extra.tar.gz", "extra.tar.gz"),
    ];
    assert_eq!(installers.len(), expected.len(), "{json}");
    for (key, file) in expected {
        let bytes = fs::read(fixture.installers().join(file)).unwrap();
        let entry = &installers[key];
        assert_eq!(entry["file"], file);
        assert_eq!(entry["size"], bytes.len() as u64);
        assert_eq!(entry["sha256"], sha256_hex(&bytes));
        // The file itself is served at the name the manifest gives.
        let served = get(&server, &format!("/base_installers/{file}"), &[]);
        assert_eq!(sha256_hex(&served.bytes().unwrap()), sha256_hex(&bytes));
    }
}

#[test]
fn the_manifest_follows_files_replaced_added_and_removed_while_serving() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    let dir = fixture.installers();
    let before = manifest(&server);

    // Rewritten in place, same size.
    let same_size = noise(52_000, 999);
    fs::write(dir.join("seattle_mac.tgz"), &same_size).unwrap();
    // Replaced by renaming a new file over it, as a careful deploy does.
    let newer = noise(80_000, 1234);
    fs::write(dir.join("staging.tmp"), &newer).unwrap();
    fs::rename(dir.join("staging.tmp"), dir.join("seattle_linux.tgz")).unwrap();
    fs::write(dir.join("seattle_beta.zip"), b"beta").unwrap();
    fs::remove_file(dir.join("seattle_android.zip")).unwrap();

    let after = manifest(&server);
    let installers = after["installers"].as_object().unwrap();
    assert_ne!(
        before["installers"]["mac"]["sha256"],
        installers["mac"]["sha256"]
    );
    assert_eq!(installers["mac"]["sha256"], sha256_hex(&same_size));
    assert_eq!(installers["linux"]["sha256"], sha256_hex(&newer));
    assert_eq!(installers["linux"]["size"], 80_000);
    assert_eq!(
        installers["seattle_beta.zip"]["sha256"],
        sha256_hex(b"beta")
    );
    assert!(!installers.contains_key("android"), "{after}");
    // Unchanged files keep their entry.
    assert_eq!(before["installers"]["windows"], installers["windows"]);
}

#[test]
fn a_file_of_the_page_replaced_while_serving_is_served_anew() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    let css = fixture.site().join("style.css");
    let first = get(&server, "/style.css", &[]);
    let etag = header(first.headers(), "etag").to_owned();
    assert_eq!(first.bytes().unwrap(), fs::read(&css).unwrap());

    // Same size, rewritten in place; then replaced by a rename.
    let same_size = "body { margin: 1 }\n".repeat(40);
    fs::write(&css, &same_size).unwrap();
    let second = get(&server, "/style.css", &[("if-none-match", &etag)]);
    assert_eq!(second.status(), StatusCode::OK);
    assert_ne!(header(second.headers(), "etag"), etag);
    assert_eq!(second.text().unwrap(), same_size);

    fs::write(fixture.site().join("next.css"), "a { b: c }").unwrap();
    fs::rename(fixture.site().join("next.css"), &css).unwrap();
    assert_eq!(get(&server, "/style.css", &[]).text().unwrap(), "a { b: c }");
    fs::remove_file(&css).unwrap();
    assert_eq!(get(&server, "/style.css", &[]).status(), StatusCode::NOT_FOUND);
}

#[test]
fn a_missing_installers_folder_gives_an_empty_manifest() {
    let fixture = Fixture::new();
    fs::remove_dir_all(fixture.installers()).unwrap();
    let server = fixture.serve(&[]);
    assert_eq!(manifest(&server), serde_json::json!({"installers": {}}));
    let missing = get(&server, "/base_installers/seattle_linux.tgz", &[]);
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// Requests that try to leave the folders or read what is not published. Sent raw, since a
/// client library would resolve the dots and encodings before sending.
const ESCAPES: &[&str] = &[
    "/../secret.txt",
    "/../outside/secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/outside/secret.txt",
    "/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/..%5csecret.txt",
    "/%5c..%5csecret.txt",
    "/..\\secret.txt",
    "/c:/secret.txt",
    "/C:%5csecret.txt",
    "/c%3a/secret.txt",
    "/index.html%00.txt",
    "/%00/../secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/%c0%ae%c0%ae%c0%afsecret.txt",
    "/%e0%80%ae%e0%80%ae/secret.txt",
    "/%ff%fe/secret.txt",
    "/leak.txt",
    "/leakdir/secret.txt",
    "/.env",
    "/.git/config",
    "/%2eenv",
    "/./.env",
    "//secret.txt",
    "/base_installers/../../secret.txt",
    "/base_installers/%2e%2e/%2e%2e/secret.txt",
    "/base_installers/leak.zip",
    "/base_installers/.hidden.zip",
    "/base_installers/..%2f..%2fsecret.txt",
    "/docs/../../secret.txt",
    "/empty/",
    "/base_installers/",
];

#[test]
fn no_request_reaches_a_file_outside_the_folders() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    assert!(ESCAPES.len() >= 25);
    for target in ESCAPES {
        let response = raw_get(&server.addr, target);
        assert!(
            matches!(response.status, 400 | 404),
            "{target}: {}",
            response.head
        );
        let body = String::from_utf8_lossy(&response.body);
        assert!(!body.contains(SECRET), "{target} leaked the secret");
    }
    // Absolute-form targets and an asterisk go through the same checks.
    let absolute = format!("http://{}/../secret.txt", server.addr);
    assert_eq!(raw_get(&server.addr, &absolute).status, 400);
    assert_eq!(raw_get(&server.addr, "*").status, 400);
    // A link that stays inside the folder is fine.
    assert_eq!(raw_get(&server.addr, "/alias.html").status, 200);
}

#[test]
fn directories_without_an_index_are_not_listed() {
    let fixture = Fixture::new();
    let server = fixture.serve(&[]);
    for path in [
        "/empty/",
        "/base_installers/",
        "/base_installers",
        "/missing/",
    ] {
        let response = get(&server, path, &[]);
        let status = response.status();
        let body = response.text().unwrap();
        assert!(
            status == StatusCode::NOT_FOUND || status.is_redirection(),
            "{path}: {status}"
        );
        assert!(
            !body.contains("notes.txt") && !body.contains("seattle_"),
            "{path}: {body}"
        );
    }
    assert_eq!(get(&server, "/docs/", &[]).text().unwrap(), "<p>docs</p>");
}

#[test]
fn a_missing_site_folder_is_a_clear_error() {
    let fixture = Fixture::new();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cib"))
        .args(["serve", "--addr", "127.0.0.1:0", "--site"])
        .arg(fixture.root().join("no-such-dist"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no-such-dist"), "{stderr}");
    assert!(stderr.contains("trunk build --release"), "{stderr}");
    assert!(stderr.contains("scripts/run.sh"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn sigterm_stops_cleanly_and_every_request_was_logged() {
    let fixture = Fixture::new();
    let mut server = fixture.serve(&[]);
    get(&server, "/index.html", &[]).bytes().unwrap();
    get(&server, "/base_installers/seattle_mac.tgz", &[])
        .bytes()
        .unwrap();
    client().post(&server.url).send().unwrap();
    raw_get(&server.addr, "/%2e%2e/secret.txt");
    raw_get(&server.addr, "/.env");
    server.terminate();
    assert!(server.wait().success());

    let log = fixture.log();
    for expected in [
        "GET /index.html 200 ",
        "GET /base_installers/seattle_mac.tgz 200 52000B ",
        "POST / 405 ",
        "GET /%2e%2e/secret.txt 400 ",
        "GET /.env 404 ",
    ] {
        assert!(log.contains(expected), "{expected:?} not in {log}");
    }
    let line = log.lines().find(|l| l.contains("seattle_mac")).unwrap();
    assert!(line.ends_with("ms"), "{line}");
}

#[test]
fn a_download_in_flight_finishes_after_sigterm() {
    let fixture = Fixture::new();
    // Larger than what the kernel buffers on loopback, so the server is mid-response when the
    // signal comes, until this test reads; and larger than what the host keeps in memory, so
    // this is also the download streamed from disk.
    let big = noise(72 << 20, 7);
    fs::write(fixture.installers().join("big.zip"), &big).unwrap();
    let mut server = fixture.serve(&[]);

    let mut stream = connect(&server.addr);
    let request = format!(
        "GET /base_installers/big.zip HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut first = [0u8; 12];
    stream.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");

    server.terminate();
    // Once new connections are refused, the server is shutting down.
    let deadline = std::time::Instant::now() + PATIENCE;
    while std::net::TcpStream::connect(&server.addr).is_ok() {
        assert!(std::time::Instant::now() < deadline, "still accepting");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    let split = rest.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert_eq!(rest.len() - split, big.len());
    assert!(rest[split..] == big[..]);
    assert!(server.wait().success());
}

#[test]
fn slow_or_silent_clients_are_cut_off() {
    let fixture = Fixture::new();
    let server = fixture.serve(&["--header-timeout", "1"]);
    // Silent after connecting, and stuck halfway through the headers.
    let silent = connect(&server.addr);
    let mut partial = connect(&server.addr);
    partial.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    for mut stream in [silent, partial] {
        let mut buffer = Vec::new();
        // The server hangs up (maybe after a 408); the read ends either way well before PATIENCE.
        let started = std::time::Instant::now();
        let _ = stream.read_to_end(&mut buffer);
        assert!(started.elapsed() < PATIENCE);
        let text = String::from_utf8_lossy(&buffer);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 408"),
            "{text}"
        );
    }
    // And the server still serves.
    assert_eq!(raw_get(&server.addr, "/").status, 200);
}

#[test]
fn connections_beyond_the_limit_wait_for_a_free_slot() {
    let fixture = Fixture::new();
    let server = fixture.serve(&["--max-connections", "2"]);
    let first = connect(&server.addr);
    let mut second = connect(&server.addr);
    // A served request proves both slots are taken (accept order is connection order).
    second
        .write_all(format!("GET / HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).as_bytes())
        .unwrap();
    let mut answer = [0u8; 12];
    second.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");

    let mut third = connect(&server.addr);
    third
        .write_all(
            format!(
                "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                server.addr
            )
            .as_bytes(),
        )
        .unwrap();
    third
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut byte = [0u8; 1];
    assert!(third.read(&mut byte).is_err(), "served beyond the limit");

    drop(first);
    third.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut rest = Vec::new();
    third.read_to_end(&mut rest).unwrap();
    assert!(rest.starts_with(b"HTTP/1.1 200"));
}

#[test]
fn garbage_requests_do_not_break_the_server() {
    let fixture = Fixture::new();
    // Blank lines before a request are skipped, so one of these waits for the header deadline.
    let server = fixture.serve(&["--header-timeout", "2"]);
    let huge_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200_000)
    );
    let many_headers = format!(
        "GET / HTTP/1.1\r\nHost: x\r\n{}\r\n",
        (0..500)
            .map(|i| format!("X-{i}: y\r\n"))
            .collect::<String>()
    );
    let long_path = format!(
        "GET /{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a/".repeat(20_000)
    );
    let requests: Vec<&[u8]> = vec![
        b"\r\n\r\n",
        b"HELLO\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nRange: bytes=9-1,a-b,--\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nIf-Modified-Since: yesterday\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"\x7f\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAccept-Encoding: br;q=nan, gzip;q=2\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        huge_header.as_bytes(),
        many_headers.as_bytes(),
        long_path.as_bytes(),
    ];
    for request in requests {
        let response = raw(&server.addr, request);
        assert!(response.status != 200 || request.starts_with(b"GET / HTTP/1.1"));
        let start = String::from_utf8_lossy(&request[..request.len().min(60)]).into_owned();
        assert_ne!(response.status, 500, "{start}");
    }
    assert_eq!(raw_get(&server.addr, "/").status, 200);
}
