//! Where a builder finds its files: the worker's module and the base installers.

use crate::assets::{page_base, resolve};
use crate::worker::WorkerModule;

/// The worker module's files, beside the builder's own (trunk names a worker's files without a
/// hash, so they can be named here).
const WORKER_GLUE: &str = "cib-worker.js";
const WORKER_WASM: &str = "cib-worker_bg.wasm";

/// Where a builder finds the worker's module and the base installers.
#[derive(Clone, Debug)]
pub struct Places {
    /// The worker's module, and the worker this builder keeps running it.
    pub worker: WorkerModule,
    /// The base installers folder (an absolute URL ending in `/`) with its `manifest.json`, or
    /// `None` when the person chooses them from disk (the saved page).
    pub installers: Option<String>,
}

impl Places {
    /// The places of a builder whose files are in the folder `assets`: the base installers are
    /// beside them unless `installers` names another folder.
    pub fn in_folder(assets: &str, installers: Option<&str>) -> Places {
        let folder = |url: String| if url.ends_with('/') { url } else { url + "/" };
        let assets = folder(resolve(".", assets).unwrap_or_else(|| assets.to_string()));
        let installers = installers
            .and_then(|i| resolve(i, &assets))
            .unwrap_or_else(|| format!("{assets}base_installers/"));
        Places {
            worker: WorkerModule::at(
                format!("{assets}{WORKER_GLUE}"),
                format!("{assets}{WORKER_WASM}"),
            ),
            installers: Some(folder(installers)),
        }
    }

    /// The places of the builder on its own page: beside the page's script (or the page).
    pub fn of_page() -> Places {
        Places::in_folder(&page_base(), None)
    }
}
