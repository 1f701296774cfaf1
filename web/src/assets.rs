//! Where the page's own files are. Every URL is relative to the page's script, so the builder
//! works from any folder; an element embedded in another site is told its place by embed.js.

use crate::dom::document;
use crate::places::Places;
use wasm_bindgen::JsCast;
use web_sys::HtmlLinkElement;

/// The worker module's files, beside the builder's own (trunk names a worker's files without a
/// hash, so they can be named here).
const WORKER_GLUE: &str = "cib-worker.js";
const WORKER_WASM: &str = "cib-worker_bg.wasm";

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

/// The places of a builder whose files are in the folder `assets`: the base installers are
/// beside them unless `installers` names another folder.
pub fn places(assets: &str, installers: Option<&str>) -> Places {
    let folder = |url: String| if url.ends_with('/') { url } else { url + "/" };
    let assets = folder(resolve(".", assets).unwrap_or_else(|| assets.to_string()));
    let installers = installers
        .and_then(|i| resolve(i, &assets))
        .unwrap_or_else(|| format!("{assets}base_installers/"));
    Places {
        worker_glue: format!("{assets}{WORKER_GLUE}"),
        worker_wasm: format!("{assets}{WORKER_WASM}"),
        installers: Some(folder(installers)),
    }
}

/// The places of the builder on its own page: beside the page's script (or the page).
pub fn page_places() -> Places {
    places(&page_base(), None)
}

/// Where the page's own files are: beside its script (or the page).
pub fn page_base() -> String {
    glue_url()
        .or_else(|| document().base_uri().ok().flatten())
        .unwrap_or_default()
}
