//! Build ids: 40 characters of `[a-z0-9]`, the legacy pattern, derived from what the build's
//! installers hold, so the same description gives the same id on every call and on every host.

use sha2::{Digest, Sha256};
use std::fmt;

const LENGTH: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BuildId([u8; LENGTH]);

impl BuildId {
    /// The first 40 hex digits of a SHA-256 over the vesselinfo, the only thing that differs
    /// between the installers of two builds. The prefix keeps these hashes apart from any other.
    pub fn of(vesselinfo: &str) -> BuildId {
        let digest = Sha256::new()
            .chain_update(b"cib build\n")
            .chain_update(vesselinfo.as_bytes())
            .finalize();
        let mut id = [0u8; LENGTH];
        for (pair, byte) in id.chunks_exact_mut(2).zip(digest.iter()) {
            let hex = format!("{byte:02x}");
            pair.copy_from_slice(hex.as_bytes());
        }
        BuildId(id)
    }

    /// The legacy rule for an id given by a client: exactly 40 of `[a-z0-9]`.
    pub fn parse(text: &str) -> Option<BuildId> {
        let bytes: [u8; LENGTH] = text.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            .then_some(BuildId(bytes))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("only ASCII is ever stored")
    }
}

impl fmt::Display for BuildId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_content_and_the_legacy_pattern() {
        let a = BuildId::of("Percent 80\nOwner 3 33");
        assert_eq!(a, BuildId::of("Percent 80\nOwner 3 33"));
        assert_ne!(a, BuildId::of("Percent 80\nOwner 3 35"));
        assert_eq!(a.as_str().len(), 40);
        assert_eq!(BuildId::parse(a.as_str()), Some(a));
        // Legacy ids (any of [a-z0-9]) are well-formed too.
        assert!(BuildId::parse(&"z".repeat(40)).is_some());
        for bad in [
            "",
            "abc",
            &"a".repeat(39),
            &"a".repeat(41),
            &"A".repeat(40),
            &format!("{}-", "a".repeat(39)),
            &format!("{}é", "a".repeat(38)),
        ] {
            assert_eq!(BuildId::parse(bad), None, "{bad:?}");
        }
    }
}
