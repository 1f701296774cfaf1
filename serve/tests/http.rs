//! The host over real HTTP: `cib_serve::start` in this process on a free loopback port, serving
//! temporary folders (`support::Fixture`), as `cib serve` starts it. What only the process shows,
//! its printed URL, its log on stderr, its exit on SIGTERM and its options, is tested with the
//! binary in cli/tests/serve.rs. The unit tests in the modules drive the stack without a socket.

mod support;

#[path = "http/downloads.rs"]
mod downloads;
#[path = "http/limits.rs"]
mod limits;
#[path = "http/manifest.rs"]
mod manifest;
#[path = "http/refusals.rs"]
mod refusals;
#[path = "http/responses.rs"]
mod responses;
