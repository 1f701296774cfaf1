//! The core of cib: everything about Seattle custom installers that does not touch a file, a
//! network or a clock. Bytes and values go in, bytes and values come out, so the same code runs
//! natively in the `cib` binary and as WebAssembly in the page.
//!
//! The rules of the compatibility contract (SEATTLE.md) each live in one function here.

pub mod platform;
