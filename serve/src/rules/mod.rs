//! The rules every deployment shares, whether `cib serve` answers or a static host serves what
//! `cib export` wrote: which paths may be asked for, that no file outside a folder is read, the
//! headers and the page's policy, the manifest of the base installers, and the `_headers` and
//! nginx rules an export carries.

pub mod confine;
pub mod csp;
pub mod export;
pub mod headers;
pub mod manifest;
pub mod paths;
