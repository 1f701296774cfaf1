//! The core of cib: everything about Seattle custom installers that does not touch a file, a
//! network or a clock. Bytes and values go in, bytes and values come out, so the same code runs
//! natively in the `cib` binary and as WebAssembly in the page.
//!
//! The rules of the compatibility contract (SEATTLE.md) each live in one function here.

pub mod base_installer;
pub mod build_description;
mod decimal;
// Reading an installer's metainfo checks its signature, which needs the rsa crate.
#[cfg(feature = "rsa")]
pub mod inspection;
mod json_object;
pub mod key_files;
pub mod key_pair;
pub mod manifest;
pub mod metainfo;
pub mod natural;
pub mod platform;
pub mod private_key;
pub mod problem;
pub mod public_key;
pub mod share_link;
mod stored_zip;
pub mod user;
pub mod vessel;
pub mod vesselinfo;

pub use build_description::{BuildDescription, User};
pub use key_pair::{KeyBits, KeyPair};
pub use manifest::{Manifest, ManifestEntry};
pub use platform::{ArchiveKind, Platform};
pub use private_key::PrivateKey;
pub use problem::{Localized, Place, Problem, ProblemKind, Problems};
pub use public_key::PublicKey;
pub use vessel::Vessel;
