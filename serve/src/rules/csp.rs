//! The page's Content-Security-Policy: its own scripts and styles only, and its own wasm.
//!
//! Trunk starts the wasm with an inline module script, which `script-src 'self'` alone blocks,
//! and the page carries its stylesheet inline so that its first paint waits for no request.
//! So the policy of an HTML file also names the SHA-256 of each inline script and each
//! `<style>` element in that file: those are the page's own, shipped in the same folder. No
//! other inline code or style may run (no 'unsafe-inline', no 'unsafe-eval'), and there is
//! deliberately no `frame-ancestors` (nor X-Frame-Options): a clearinghouse on another site
//! embeds the builder.

use axum::http::HeaderValue;
use base64::Engine as _;
use sha2::{Digest, Sha256};

// The policy in three parts, each followed by the hashes of its kind: up to `script-src`,
// up to `style-src`, and the rest.
const TO_SCRIPT_SRC: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const TO_STYLE_SRC: &str = "; worker-src 'self' blob:; connect-src 'self'; \
    img-src 'self' data: blob:; style-src 'self'";
const REST: &str = "; object-src 'none'; base-uri 'self'; form-action 'none'";

/// The policy for a page whose text is unknown (a HEAD request, a part of a page).
pub fn base_policy() -> HeaderValue {
    policy_for(b"")
}

pub fn policy_for(html: &[u8]) -> HeaderValue {
    let mut policy = String::from(TO_SCRIPT_SRC);
    name_each(&mut policy, inline_texts(html, b"script"));
    policy.push_str(TO_STYLE_SRC);
    name_each(&mut policy, inline_texts(html, b"style"));
    policy.push_str(REST);
    // Only ASCII goes in: the fixed text and base64.
    HeaderValue::from_str(&policy).expect("an ASCII policy")
}

/// Allows each of `texts` by its SHA-256.
fn name_each(policy: &mut String, texts: Vec<&[u8]>) {
    for text in texts {
        let digest = Sha256::digest(normalize_newlines(text));
        policy.push_str(" 'sha256-");
        policy.push_str(&base64::engine::general_purpose::STANDARD.encode(digest));
        policy.push('\'');
    }
}

/// The text of each `element` (`script`, `style`) as the browser sees it: everything between
/// the end of its start tag and the next `</script` (`</style`). The text of these elements is
/// never decoded, so this is exact.
fn inline_texts<'a>(html: &'a [u8], element: &[u8]) -> Vec<&'a [u8]> {
    let open = [b"<", element].concat();
    let close = [b"</", element].concat();
    let mut texts = Vec::new();
    let mut rest = html;
    while let Some(at) = find_ignoring_case(rest, &open) {
        let tag = &rest[at + open.len()..];
        // `<scripts>` would be another element.
        if !matches!(
            tag.first(),
            Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
        ) {
            rest = tag;
            continue;
        }
        let Some(tag_end) = end_of_tag(tag) else {
            break;
        };
        let text = &tag[tag_end + 1..];
        let Some(end) = find_ignoring_case(text, &close) else {
            break;
        };
        if end > 0 {
            texts.push(&text[..end]);
        }
        rest = &text[end..];
    }
    texts
}

/// The `>` that ends a start tag, skipping any inside quoted attribute values.
fn end_of_tag(tag: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (at, &byte) in tag.iter().enumerate() {
        match (quote, byte) {
            (None, b'>') => return Some(at),
            (None, b'"' | b'\'') => quote = Some(byte),
            (Some(open), _) if byte == open => quote = None,
            _ => {}
        }
    }
    None
}

fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

/// The HTML parser turns CR LF and lone CR into LF before a script's text exists.
fn normalize_newlines(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.iter().peekable();
    while let Some(&byte) = bytes.next() {
        if byte == b'\r' {
            bytes.next_if_eq(&&b'\n');
            out.push(b'\n');
        } else {
            out.push(byte);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(text: &str) -> String {
        let digest = Sha256::digest(text.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    }

    #[test]
    fn names_each_inline_script_and_nothing_else() {
        let html = "<html><head><script type=\"module\">\nimport init from './a.js';\n</script>\
            <script src=\"/b.js\"></script><SCRIPT data-x='>'>two()</SCRIPT>\
            <scripts>not()</scripts><script>a()\r\nb()</script></head></html>";
        let policy = policy_for(html.as_bytes());
        let policy = policy.to_str().unwrap();
        assert!(
            policy.contains(&hash("\nimport init from './a.js';\n")),
            "{policy}"
        );
        assert!(policy.contains(&hash("two()")), "{policy}");
        assert!(policy.contains(&hash("a()\nb()")), "{policy}");
        assert!(!policy.contains(&hash("not()")), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 3, "{policy}");
        assert!(policy.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' "));
        assert!(policy.ends_with("form-action 'none'"));
        assert!(!policy.contains("unsafe-inline") && !policy.contains(" 'unsafe-eval'"));
    }

    #[test]
    fn names_each_style_element_under_style_src() {
        let html = "<style>\nbody { margin: 0 }\n</style><STYLE media=\"print\">p{}</STYLE>\
            <styles>x</styles><script>s()</script><link rel=\"stylesheet\" href=\"a.css\">";
        let policy = policy_for(html.as_bytes());
        let policy = policy.to_str().unwrap();
        let (scripts, styles) = policy.split_once("style-src 'self'").unwrap();
        assert!(
            styles.starts_with(&format!(
                " {} {};",
                hash("\nbody { margin: 0 }\n"),
                hash("p{}")
            )),
            "{policy}"
        );
        assert!(
            !styles.contains(&hash("x")) && !styles.contains(&hash("s()")),
            "{policy}"
        );
        assert!(scripts.contains(&hash("s()")), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 3, "{policy}");
        assert!(!policy.contains("unsafe-inline"));
    }

    #[test]
    fn a_page_without_scripts_gets_the_base_policy() {
        assert_eq!(policy_for(b"<p>hello</p>"), base_policy());
        assert_eq!(
            base_policy().to_str().unwrap(),
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; \
             connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; object-src 'none'; \
             base-uri 'self'; form-action 'none'"
        );
    }
}
