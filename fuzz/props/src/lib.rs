//! The properties the fuzz targets check, one function per target, each taking the fuzzer's
//! bytes and panicking when a property fails. The libFuzzer targets in `fuzz/` (nightly) call
//! them, and `tests/replay.rs` (stable, part of the test command) calls them on every saved
//! input, so a finding fixed once stays fixed.
//!
//! "No panic" is the least of it: each function also checks what the result must be (a
//! description round-trips and renders a vesselinfo Seattle accepts, a customized installer read
//! back by other readers holds exactly the new vesselinfo, a share link round-trips...).

mod archives;
mod texts;
pub mod xmlrpc;

pub use archives::{tar_gz, zip, zip_tail};
pub use texts::{description, manifest, private_key, public_key, share_link};
pub use xmlrpc::xmlrpc;

/// A target's properties: they panic when one fails.
pub type Property = fn(&[u8]);

/// Every target by name, as `fuzz/fuzz_targets/` and the corpus folders name them.
pub const TARGETS: [(&str, Property); 9] = [
    ("description", description),
    ("public_key", public_key),
    ("private_key", private_key),
    ("manifest", manifest),
    ("share_link", share_link),
    ("xmlrpc", xmlrpc),
    ("zip", zip),
    ("zip_tail", zip_tail),
    ("tar_gz", tar_gz),
];
