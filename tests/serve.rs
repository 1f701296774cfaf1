//! `cib serve` over real HTTP: the built binary on a free port, serving temporary folders.

#[path = "serve/support.rs"]
mod support;

#[path = "serve/downloads.rs"]
mod downloads;
#[path = "serve/export.rs"]
mod export;
#[path = "serve/lifecycle.rs"]
mod lifecycle;
#[path = "serve/manifest.rs"]
mod manifest;
#[path = "serve/refusals.rs"]
mod refusals;
#[path = "serve/responses.rs"]
mod responses;
