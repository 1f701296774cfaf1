//! Which request paths may reach the file services at all.
//!
//! The file services decode the path once and refuse `..`; this guard is stricter so that no
//! decoding trick gets that far: each segment is decoded on its own and must be valid UTF-8 (which
//! rules out overlong forms such as `%c0%ae`), must not decode to a separator, a drive letter's
//! colon, a control character (NUL included) or a `%` (a second round of encoding), and must not
//! start with a dot (`.`, `..` and hidden files).

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use percent_encoding::percent_decode_str;

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Not a path that names a file at all: a traversal or an encoding trick.
    Malformed,
    /// A hidden name; answered as missing rather than forbidden, to reveal nothing.
    Hidden,
}

pub fn judge(path: &str) -> Verdict {
    let Some(rest) = path.strip_prefix('/') else {
        return Verdict::Malformed;
    };
    let mut segments = rest.split('/').peekable();
    while let Some(raw) = segments.next() {
        // An empty segment is only the trailing one, as in `/` or `/dir/`; `//` is refused.
        if raw.is_empty() {
            if segments.peek().is_some() {
                return Verdict::Malformed;
            }
            continue;
        }
        let Ok(segment) = percent_decode_str(raw).decode_utf8() else {
            return Verdict::Malformed;
        };
        if segment
            .chars()
            .any(|c| matches!(c, '/' | '\\' | ':' | '%') || c.is_control())
        {
            return Verdict::Malformed;
        }
        if segment == "." || segment == ".." {
            return Verdict::Malformed;
        }
        if segment.starts_with('.') {
            return Verdict::Hidden;
        }
    }
    Verdict::Allowed
}

/// The answer to a request whose path may not reach the files, if it is one.
pub fn refusal(path: &str) -> Option<Response> {
    let status = match judge(path) {
        Verdict::Allowed => return None,
        Verdict::Malformed => StatusCode::BAD_REQUEST,
        Verdict::Hidden => StatusCode::NOT_FOUND,
    };
    let mut response = Response::new(Body::from(status.canonical_reason().unwrap_or_default()));
    *response.status_mut() = status;
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_plain_names() {
        for path in [
            "/",
            "/index.html",
            "/base_installers/",
            "/base_installers/seattle_linux.tgz",
            "/a%20b.js",
            "/cib-web-0123456789abcdef_bg.wasm",
            "/assets/x.svg",
        ] {
            assert_eq!(judge(path), Verdict::Allowed, "{path}");
        }
    }

    #[test]
    fn refuses_tricks() {
        for path in [
            "/../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/a%2fb",
            "/a%5cb",
            "/a\\b",
            "/c:/windows",
            "/C%3A/x",
            "/x%00.html",
            "/%c0%ae%c0%ae/x",
            "/%ff",
            "/%252e%252e/x",
            "//etc/passwd",
            "/./index.html",
            "/a/../b",
            "/%2e/x",
            "*",
            "",
        ] {
            assert_eq!(judge(path), Verdict::Malformed, "{path}");
        }
        for path in ["/.git/config", "/.env", "/%2eenv", "/a/.b/c"] {
            assert_eq!(judge(path), Verdict::Hidden, "{path}");
        }
    }
}
