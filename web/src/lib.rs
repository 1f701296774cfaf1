//! The page that builds Seattle custom installers in the browser: a thin layer over cib-core
//! that owns what only a browser has (the DOM, fetch with progress, Blobs, WebCrypto, a worker,
//! the Cache API).
//!
//! The UI is one state value (`state`), a panel module per step (`users`, `vessels`,
//! `platforms`, `build`, `keys`) that draws its part of it, and `app`, which routes events and
//! renders. `mount` puts the whole builder into any element, so another page can embed it.

pub mod api;
mod app;
mod assets;
mod build;
pub mod customize;
mod dom;
pub mod installers;
pub mod keygen;
mod keys;
#[cfg(feature = "measure")]
mod measure;
mod platforms;
pub mod state;
mod users;
mod vessels;
mod worker;

use wasm_bindgen::prelude::*;

// Talc instead of the default dlmalloc: a smaller module and faster allocation in WebAssembly.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Puts the builder into `element` (its contents are replaced).
#[wasm_bindgen]
pub fn mount(element: web_sys::Element) {
    app::mount(element);
}

/// On a page with `<div id="cib">`, the builder mounts itself there. In the key worker (no
/// window) and on an embedding page without that element, nothing happens until `mount`.
#[wasm_bindgen(start)]
pub fn start() {
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("cib"));
    if let Some(element) = found {
        app::mount(element);
    }
}
