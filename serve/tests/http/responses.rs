//! What the host answers to the requests a browser makes: types, caching, revalidation, ranges,
//! methods, CORS, compression, and the page's security headers.

use crate::support::*;
use base64::Engine as _;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{Read, Write};

#[test]
fn serves_the_page_at_the_root_with_its_security_headers() {
    let fixture = Fixture::new();
    let server = fixture.serve();
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
        // Its own inline style too, under style-src.
        assert!(INDEX.contains(&format!("<style>{STYLE}</style>")));
        let style = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE));
        assert!(
            csp.contains(&format!("style-src 'self' 'sha256-{style}';")),
            "{csp}"
        );
        assert_eq!(csp.matches("'sha256-").count(), 2, "{csp}");
        assert!(headers.get("x-frame-options").is_none());
        assert_eq!(response.text().unwrap(), INDEX);

        // HEAD and a compressed answer carry the same policy.
        let head = client()
            .head(format!("{}{}", server.url, &path[1..]))
            .send()
            .unwrap();
        assert_eq!(header(head.headers(), "content-security-policy"), csp);
        let gzipped = get(&server, path, &[("accept-encoding", "gzip")]);
        assert_eq!(header(gzipped.headers(), "content-encoding"), "gzip");
        assert_eq!(header(gzipped.headers(), "content-security-policy"), csp);
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
    let server = fixture.serve();
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
    let server = fixture.serve();
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
    let server = fixture.serve();
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
    let server = fixture.serve();
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

    // A range of a compressed copy is a range of the copy's bytes (a gzip header here).
    let text = get(
        &server,
        JS,
        &[("range", "bytes=0-9"), ("accept-encoding", "gzip")],
    );
    assert_eq!(text.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(header(text.headers(), "content-encoding"), "gzip");
    let start = text.bytes().unwrap();
    assert_eq!((start.len(), &start[..2]), (10, &[0x1f, 0x8b][..]));

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
    let server = fixture.serve();
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
    let server = fixture.serve();
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
    let server = fixture.serve();
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
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn compresses_text_and_wasm_for_clients_that_accept_it() {
    let fixture = Fixture::new();
    let server = fixture.serve();
    // The page's assets go out as compressed copies made once, with an ETag of their own; the
    // page and the manifest are compressed on the fly, with the weak form of their ETag.
    for (path, original, made_once) in [
        (
            WASM,
            fs::read(fixture.site().join(&WASM[1..])).unwrap(),
            true,
        ),
        (JS, fs::read(fixture.site().join(&JS[1..])).unwrap(), true),
        (
            "/style.css",
            fs::read(fixture.site().join("style.css")).unwrap(),
            true,
        ),
        ("/", INDEX.as_bytes().to_vec(), false),
        (
            "/base_installers/manifest.json",
            get(&server, "/base_installers/manifest.json", &[])
                .bytes()
                .unwrap()
                .to_vec(),
            false,
        ),
    ] {
        let plain = get(&server, path, &[]);
        assert!(!plain.headers().contains_key("content-encoding"));
        let plain_etag = header(plain.headers(), "etag").to_owned();
        assert_eq!(plain.bytes().unwrap(), original);
        for (encoding, decode) in [("gzip", gunzip as fn(&[u8]) -> Vec<u8>), ("br", unbrotli)] {
            let response = get(&server, path, &[("accept-encoding", encoding)]);
            assert_eq!(response.status(), StatusCode::OK);
            let headers = response.headers().clone();
            assert_eq!(header(&headers, "content-encoding"), encoding, "{path}");
            assert!(header(&headers, "vary")
                .to_lowercase()
                .contains("accept-encoding"));
            let etag = header(&headers, "etag");
            if made_once {
                assert!(
                    !etag.starts_with("W/") && etag != plain_etag,
                    "{path}: {etag}"
                );
            } else {
                assert_eq!(etag, format!("W/{plain_etag}"), "{path}");
            }
            let body = response.bytes().unwrap();
            assert!(body.len() < original.len(), "{path} {encoding}");
            assert_eq!(decode(&body), original, "{path} {encoding}");
        }
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

#[test]
fn a_file_of_the_page_replaced_while_serving_is_served_anew() {
    let fixture = Fixture::new();
    let server = fixture.serve();
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
    assert_eq!(
        get(&server, "/style.css", &[]).text().unwrap(),
        "a { b: c }"
    );
    fs::remove_file(&css).unwrap();
    assert_eq!(
        get(&server, "/style.css", &[]).status(),
        StatusCode::NOT_FOUND
    );
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn uses_precompressed_variants_of_assets_but_never_of_the_page() {
    let fixture = Fixture::new();
    // Different text in the variants than in the files, to tell which one was served.
    fs::write(
        fixture.site().join("style.css.gz"),
        gzip(b"from the variant"),
    )
    .unwrap();
    fs::write(fixture.site().join("index.html.gz"), gzip(b"<p>stale</p>")).unwrap();
    let server = fixture.serve();

    let css = get(&server, "/style.css", &[("accept-encoding", "gzip")]);
    assert_eq!(header(css.headers(), "content-encoding"), "gzip");
    assert_eq!(
        header(css.headers(), "content-type"),
        "text/css; charset=utf-8"
    );
    assert_eq!(gunzip(&css.bytes().unwrap()), b"from the variant");

    let page = get(&server, "/", &[("accept-encoding", "gzip")]);
    assert_eq!(header(page.headers(), "content-encoding"), "gzip");
    let boot = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(BOOT));
    let csp = header(page.headers(), "content-security-policy");
    assert!(csp.contains(&format!("'sha256-{boot}'")), "{csp}");
    assert_eq!(gunzip(&page.bytes().unwrap()), INDEX.as_bytes());
}
