//! Where a builder finds its files: the worker's module and the base installers.

/// Where a builder finds the worker's module and the base installers.
#[derive(Clone, Debug)]
pub struct Places {
    /// The worker module's wasm-bindgen glue script and its WebAssembly (URLs; `data:` and
    /// `blob:` ones in the saved page, which may fetch nothing).
    pub worker_glue: String,
    pub worker_wasm: String,
    /// The base installers folder (an absolute URL ending in `/`) with its `manifest.json`, or
    /// `None` when the person chooses them from disk (the saved page).
    pub installers: Option<String>,
}
