//! The builder of Seattle custom installers in the browser: a thin layer over cib-core that
//! owns what only a browser has (the DOM, fetch with progress, Blobs, WebCrypto, a worker, the
//! Cache API).
//!
//! A builder is an instance (`app::App`) that runs one loop, one way:
//!
//! ```text
//! DOM event ─▶ Action ─▶ update(&mut Model) ─▶ render(&Model) ─▶ DOM
//!                ▲                │
//!                └── async work ◀─┘ Effect
//! ```
//!
//! - `action`: everything a person can do and everything async work reports, one enum; a
//!   control is drawn wired to its action and read back from the same enum (`events`).
//! - `update`: the model (`state`: what the person entered, with its rules; `chosen`: the base
//!   installers chosen from disk; `run`: the last build) and the one function that changes it.
//! - the steps' modules only draw (`skeleton()`, `render`): `users`, `vessels`, `platforms`
//!   (with `chosen::view`), `build`, `keys`, `share`.
//! - async work ends by dispatching an action: `making` (keys, downloads, customizing),
//!   `reading` (files a person gives), `share` (the QR code, copying).
//!
//! The pure part (`action`, `update`, `state`, `chosen`, `run`, `words`, `ids`,
//! `key_size`, and `donation`'s model, which runs the same way) builds natively and is
//! unit-tested there; the rest needs a browser and builds for wasm32 only.
//! The page mounts one builder into `#cib`; each `<seattle-installer>` element (`embed.js`)
//! holds its own, or, given an `owner-key`, the clearinghouse's one-click builder (`donation`).
//! A share link opened in the page is the donor's page (`donor_view`, words in `donor`), which
//! offers the link's installers through `donation` and opens the builder on request; under a
//! made installer, each of them shows its install steps (`install_steps`).
//! Nothing is global but the module itself and a content-addressed cache of verified base
//! installers.

// Natively only the pure modules are built (for their tests); some of what they offer is used
// by the browser's modules alone.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

pub mod action;
pub mod chosen;
pub mod donation;
pub mod donor;
pub mod i18n;
pub mod ids;
pub mod inspection;
pub mod install_steps;
pub mod key_size;
pub mod run;
pub mod state;
pub mod update;
pub mod words;

/// Declares the modules that need a browser: they are built for wasm32 only.
macro_rules! browser {
    ($($module:item)*) => { $(#[cfg(target_arch = "wasm32")] $module)* };
}

browser! {
    pub mod api;
    mod app;
    mod assets;
    mod build;
    mod catalog;
    mod check;
    pub mod customize;
    mod dom;
    mod donor_view;
    mod events;
    pub mod installers;
    mod key_size_choice;
    pub mod keygen;
    mod keys;
    mod language;
    mod making;
    mod mount;
    mod places;
    mod platforms;
    mod reading;
    mod share;
    mod users;
    mod vessels;
    mod worker;
    pub use mount::*;
}
#[cfg(all(target_arch = "wasm32", feature = "measure"))]
mod measure;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

// Talc instead of the default dlmalloc: a smaller module and faster allocation in WebAssembly.
#[cfg(all(not(target_feature = "atomics"), target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
