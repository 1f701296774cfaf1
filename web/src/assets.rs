//! Where the page's own files are. Every URL is relative to the page's script, so the builder
//! works from any folder, embedded in another page, or saved for offline use.

use crate::dom::document;
use wasm_bindgen::JsCast;
use web_sys::HtmlLinkElement;

/// The wasm-bindgen glue script, from the `modulepreload` link trunk writes into the page.
pub fn glue_url() -> Option<String> {
    let links = document()
        .query_selector_all("link[rel=modulepreload]")
        .ok()?;
    (0..links.length())
        .filter_map(|i| links.item(i)?.dyn_into::<HtmlLinkElement>().ok())
        .map(|link| link.href())
        .find(|href| href.ends_with(".js") && href.contains("cib"))
}

/// An absolute URL for a file beside the page's script (or the page, when that is unknown).
pub fn url(relative: &str) -> String {
    let base = glue_url()
        .or_else(|| document().base_uri().ok().flatten())
        .unwrap_or_default();
    web_sys::Url::new_with_base(relative, &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| relative.to_string())
}
