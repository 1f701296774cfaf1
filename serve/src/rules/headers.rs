//! Response headers that depend on what was asked for: the media type, how long a browser may
//! keep the answer, and the security headers (the page's policy is in `csp`).

use super::csp;
use crate::speed::wrap::Wrap;
use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_SECURITY_POLICY,
    CONTENT_TYPE, ETAG, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use cib_core::platform::ArchiveKind;

const REVALIDATE: &str = "no-cache";
/// Trunk puts a hash of the content in these names, so a name never changes meaning.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Other files of the page (icons, copied assets) keep their name across builds.
const SHORT: &str = "public, max-age=300, must-revalidate";

/// The media type announced for a request path, where `mime_guess` would say something else
/// (`application/javascript`, HTML without a charset, nothing useful for `.tgz`).
pub fn media_type(path: &str) -> Option<&'static str> {
    let name = file_name(path);
    let (_, extension) = name.rsplit_once('.')?;
    Some(match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "css" => "text/css; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "zip" => ArchiveKind::Zip.media_type(),
        "tgz" | "gz" => ArchiveKind::TarGz.media_type(),
        _ => return None,
    })
}

/// Whether answers of this media type are worth compressing: text and wasm shrink a lot;
/// archives and images are compressed already.
pub fn shrinks(media_type: &str) -> bool {
    media_type.starts_with("text/")
        || [
            "application/wasm",
            "application/json",
            "application/javascript",
            "image/svg+xml",
        ]
        .iter()
        .any(|t| media_type.starts_with(t))
}

/// Sent with every answer, whatever it is.
pub const EVERY_ANSWER: [(HeaderName, &str); 2] = [
    (X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (REFERRER_POLICY, "no-referrer"),
];

/// What a page on another origin may read of an answer besides the simple headers (CORS).
pub const EXPOSED: [HeaderName; 3] = [CONTENT_LENGTH, CONTENT_RANGE, ETAG];

pub fn cache_control(path: &str) -> &'static str {
    let name = file_name(path);
    // Base installers are replaced in place, and the manifest and customized installers follow.
    if path.starts_with("/base_installers/")
        || path.starts_with("/custom_install/")
        || name.ends_with(".html")
        || name.ends_with(".htm")
        || is_unhashed_code(name)
    {
        REVALIDATE
    } else if is_content_hashed(name) {
        IMMUTABLE
    } else {
        SHORT
    }
}

/// Code under a name kept across builds (`embed.js`, `cib-worker.js` and its wasm) must match
/// the page that loads it, so it is never used without asking whether it changed.
fn is_unhashed_code(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !is_content_hashed(name) && [".js", ".mjs", ".wasm"].iter().any(|e| lower.ends_with(e))
}

/// The last segment; a directory stands for the `index.html` it is served as.
fn file_name(path: &str) -> &str {
    match path.rsplit('/').next() {
        Some("") | None => "index.html",
        Some(name) => name,
    }
}

/// Trunk's names: `cib-web-1a2b3c4d5e6f7a8b.js`, `cib-web-1a2b3c4d5e6f7a8b_bg.wasm`.
fn is_content_hashed(name: &str) -> bool {
    name.match_indices('-').any(|(at, _)| {
        let rest = &name.as_bytes()[at + 1..];
        rest.len() > 16
            && rest[..16]
                .iter()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            && matches!(rest[16], b'.' | b'_')
    })
}

fn served(status: StatusCode) -> bool {
    status.is_success() || status == StatusCode::NOT_MODIFIED
}

/// Runs before compression, which decides by media type what to compress.
#[derive(Clone)]
pub struct SetMediaType;

impl Wrap for SetMediaType {
    type Noted = Option<&'static str>;

    /// By the name of the file fetched; an answer to a POST is no file.
    fn before(&self, request: &Request) -> (Option<&'static str>, Option<Response>) {
        let fetched = matches!(*request.method(), Method::GET | Method::HEAD);
        (media_type(request.uri().path()).filter(|_| fetched), None)
    }

    fn after(media_type: Option<&'static str>, mut response: Response) -> Response {
        if response.headers().contains_key(CONTENT_ENCODING) {
            response.extensions_mut().insert(EncodedAsStored);
        }
        if let Some(media_type) = media_type {
            if response.status().is_success() && response.headers().contains_key(CONTENT_TYPE) {
                response
                    .headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
            }
        }
        response
    }
}

/// Whether the file at `path` is a page (which gets a Content-Security-Policy).
pub fn is_page(path: &str) -> bool {
    media_type(path).is_some_and(|media_type| media_type.starts_with("text/html"))
}

/// For the final answer to `path`, after compression, so that it sees the final encoding.
pub fn apply_policy(path: &str, response: &mut Response) {
    let cache = if served(response.status()) {
        cache_control(path)
    } else {
        "no-store"
    };
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    for (name, value) in EVERY_ANSWER {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if is_html(headers) && !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(CONTENT_SECURITY_POLICY, csp::base_policy());
    }
    if response.extensions().get::<EncodedAsStored>().is_none() {
        weaken_etag_of_encoded(response.headers_mut());
    }
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"))
}

/// Marks an answer that was compressed before it reached the compression layer: a compressed
/// copy of a file, whose ETag is its own (it is made from the copy's length).
#[derive(Debug, Clone, Copy)]
struct EncodedAsStored;

/// An ETag made for a file's bytes, on a body compressed on the fly, which is other bytes: it may
/// only claim weak equality. If-None-Match compares weakly, so revalidation still answers 304.
fn weaken_etag_of_encoded(headers: &mut HeaderMap) {
    if !headers.contains_key(CONTENT_ENCODING) {
        return;
    }
    let Some(etag) = headers.get(ETAG) else {
        return;
    };
    if etag.as_bytes().starts_with(b"W/") {
        return;
    }
    let mut weak = b"W/".to_vec();
    weak.extend_from_slice(etag.as_bytes());
    if let Ok(weak) = HeaderValue::from_bytes(&weak) {
        headers.insert(ETAG, weak);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert_eq!(media_type("/"), Some("text/html; charset=utf-8"));
        assert_eq!(media_type("/x_bg.wasm"), Some("application/wasm"));
        assert_eq!(
            media_type("/base_installers/seattle_linux.tgz"),
            Some("application/gzip")
        );
        assert_eq!(
            media_type("/base_installers/seattle_win.zip"),
            Some("application/zip")
        );
        assert_eq!(media_type("/a/README"), None);
        assert_eq!(media_type("/logo.png"), None);
    }

    #[test]
    fn cache_classes() {
        assert_eq!(cache_control("/"), REVALIDATE);
        assert_eq!(cache_control("/index.html"), REVALIDATE);
        assert_eq!(cache_control("/base_installers/manifest.json"), REVALIDATE);
        assert_eq!(
            cache_control("/base_installers/seattle_mac.tgz"),
            REVALIDATE
        );
        assert_eq!(cache_control("/cib-web-1a2b3c4d5e6f7a8b.js"), IMMUTABLE);
        assert_eq!(
            cache_control("/cib-web-1a2b3c4d5e6f7a8b_bg.wasm"),
            IMMUTABLE
        );
        assert_eq!(cache_control("/styles-0123456789abcdef.css"), IMMUTABLE);
        assert_eq!(cache_control("/cib-web-1a2b3c4d5e6f7a8.js"), REVALIDATE);
        assert_eq!(cache_control("/embed.js"), REVALIDATE);
        assert_eq!(cache_control("/cib-worker.js"), REVALIDATE);
        assert_eq!(cache_control("/cib-worker_bg.wasm"), REVALIDATE);
        assert_eq!(cache_control("/style.css"), SHORT);
        assert_eq!(cache_control("/favicon.ico"), SHORT);
    }
}
