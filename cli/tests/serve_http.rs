//! `cib serve` over real HTTP: the built binary on a free port, serving temporary folders.
//!
//! The host is the `cib-serve` crate, but these tests live with the binary: they drive `cib
//! serve` as people and scripts run it (its options, the URL it prints, its log on stderr, its
//! exit on SIGTERM), and only the `cib` package's tests get the binary's path
//! (`CARGO_BIN_EXE_cib`). Starting the host in-process instead would test another start-up
//! than the one shipped, and lose the process's own signals and exit. `cib-serve`'s unit tests
//! drive its stack without a socket; the `serve_*` tests here are its whole-program tests
//! (serve_http, serve_xmlrpc, serve_soak).

mod support;

#[path = "serve_http/downloads.rs"]
mod downloads;
#[path = "serve_http/export.rs"]
mod export;
#[path = "serve_http/lifecycle.rs"]
mod lifecycle;
#[path = "serve_http/manifest.rs"]
mod manifest;
#[path = "serve_http/refusals.rs"]
mod refusals;
#[path = "serve_http/responses.rs"]
mod responses;
