//! What must never be served, and requests that must not break the host.

use crate::support::*;
use cib_serve::Options;
use reqwest::StatusCode;

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
    let server = fixture.serve();
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
    let server = fixture.serve();
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
fn garbage_requests_do_not_break_the_server() {
    let fixture = Fixture::new();
    // Blank lines before a request are skipped, so one of these waits for the header deadline.
    let server = Host::start(Options {
        header_timeout: 2,
        ..fixture.options()
    });
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
