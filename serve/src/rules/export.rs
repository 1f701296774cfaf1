//! The headers of each exported file, written for static hosts. Every value comes from the
//! host's own rules (`serve::headers`, `serve::csp`), so an export sends what `cib serve` sends.

use super::{csp, headers};
use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// The exported files by URL path, with the policy of each page.
pub struct Files {
    files: Vec<File>,
}

struct File {
    path: String,
    policy: Option<String>,
}

impl Files {
    /// `relative`: the exported files, relative to `root`.
    pub fn read(root: &Path, relative: &[String]) -> io::Result<Files> {
        let mut files = Vec::with_capacity(relative.len());
        for name in relative {
            let path = format!("/{name}");
            let policy = if headers::is_page(&path) {
                let html = std::fs::read(root.join(name))?;
                let policy = csp::policy_for(&html);
                Some(policy.to_str().unwrap_or_default().to_owned())
            } else {
                None
            };
            files.push(File { path, policy });
        }
        Ok(Files { files })
    }

    /// Each file under the URLs it is answered at: a folder's `index.html` also at the folder.
    fn by_url(&self) -> impl Iterator<Item = (String, &File)> {
        self.files.iter().flat_map(|file| {
            let folder = file
                .path
                .strip_suffix("index.html")
                .map(|folder| (folder.to_owned(), file));
            folder.into_iter().chain([(file.path.clone(), file)])
        })
    }

    /// Netlify's and Cloudflare Pages' format. Those hosts join the values of every rule that
    /// matches, so a header is named in one rule only: the common ones under `/*`.
    pub fn headers_file(&self) -> String {
        let mut out =
            String::from("# The headers `cib serve` sends, written by `cib export`.\n/*\n");
        for (name, value) in headers::EVERY_ANSWER {
            let _ = writeln!(out, "  {}: {value}", title(name.as_str()));
        }
        out.push_str("  Access-Control-Allow-Origin: *\n");
        let exposed: Vec<&str> = headers::EXPOSED.iter().map(|h| h.as_str()).collect();
        let _ = writeln!(
            out,
            "  Access-Control-Expose-Headers: {}",
            exposed.join(",")
        );
        for (url, file) in self.by_url() {
            let _ = writeln!(out, "\n{url}");
            let _ = writeln!(out, "  Cache-Control: {}", headers::cache_control(&url));
            if let Some(media_type) = headers::media_type(&url) {
                let _ = writeln!(out, "  Content-Type: {media_type}");
            }
            if let Some(policy) = &file.policy {
                let _ = writeln!(out, "  Content-Security-Policy: {policy}");
            }
        }
        out
    }

    /// Two `map` blocks for nginx's `http` context: the Cache-Control and the
    /// Content-Security-Policy of each URL (docs/deploy.md sends them with `add_header`).
    pub fn nginx_maps(&self) -> String {
        let mut cache = String::from("map $uri $cib_cache_control {\n    default \"no-store\";\n");
        let mut policy = String::from("map $uri $cib_csp {\n    default \"\";\n");
        for (url, file) in self.by_url() {
            let cache_control = headers::cache_control(&url);
            let url = nginx_string(&url);
            let _ = writeln!(cache, "    {url} \"{cache_control}\";");
            if let Some(text) = &file.policy {
                let _ = writeln!(policy, "    {url} {};", nginx_string(text));
            }
        }
        format!(
            "# Written by `cib export`: the headers `cib serve` sends.\n{cache}}}\n{policy}}}\n"
        )
    }
}

/// `x-content-type-options` as hosts' examples spell it: `X-Content-Type-Options`.
fn title(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A double-quoted nginx string: the policy's single quotes stay as they are.
fn nginx_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_and_nginx_strings() {
        assert_eq!(title("x-content-type-options"), "X-Content-Type-Options");
        assert_eq!(title("referrer-policy"), "Referrer-Policy");
        assert_eq!(nginx_string("a 'b' \"c\" \\"), "\"a 'b' \\\"c\\\" \\\\\"");
    }

    #[test]
    fn a_folder_index_is_answered_at_the_folder_too() {
        let files = Files {
            files: vec![
                File {
                    path: "/docs/index.html".into(),
                    policy: Some("p".into()),
                },
                File {
                    path: "/a.js".into(),
                    policy: None,
                },
            ],
        };
        let urls: Vec<String> = files.by_url().map(|(url, _)| url).collect();
        assert_eq!(urls, ["/docs/", "/docs/index.html", "/a.js"]);
        let maps = files.nginx_maps();
        assert!(maps.contains("    \"/docs/\" \"no-cache\";\n"), "{maps}");
        assert!(maps.contains("    \"/a.js\" \"no-cache\";\n"), "{maps}");
        assert!(maps.contains("    \"/docs/\" \"p\";\n"), "{maps}");
        assert!(!maps.contains("\"/a.js\" \"p\""), "{maps}");
    }
}
