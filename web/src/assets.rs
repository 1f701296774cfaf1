//! Where the page's own files are. Every URL is relative to the page's script, so the builder
//! works from any folder; an element embedded in another site is told its place by embed.js.

use crate::dom::document;
use wasm_bindgen::JsCast;
use web_sys::HtmlLinkElement;

/// The wasm-bindgen glue script, from the `modulepreload` link trunk writes into the page.
fn glue_url() -> Option<String> {
    let links = document()
        .query_selector_all("link[rel=modulepreload]")
        .ok()?;
    (0..links.length())
        .filter_map(|i| links.item(i)?.dyn_into::<HtmlLinkElement>().ok())
        .map(|link| link.href())
        .find(|href| href.ends_with(".js") && href.contains("cib"))
}

/// An absolute URL for `relative` resolved against `base`.
pub fn resolve(relative: &str, base: &str) -> Option<String> {
    web_sys::Url::new_with_base(relative, base)
        .ok()
        .map(|u| u.href())
}

/// Where the page's own files are: beside its script (or the page).
pub fn page_base() -> String {
    glue_url()
        .or_else(|| document().base_uri().ok().flatten())
        .unwrap_or_default()
}
