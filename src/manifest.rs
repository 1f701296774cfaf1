//! The base installers' manifest, `base_installers/manifest.json`: the host writes it, the page
//! reads it and uses a downloaded base installer only when its sha256 matches.
//!
//! `{"installers": {"linux": {"file": "seattle_linux.tgz", "size": 614000, "sha256": "<hex>"}}}`

use crate::platform::Platform;
use crate::problem::ProblemKind;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestEntry {
    pub file: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Manifest {
    pub installers: BTreeMap<String, ManifestEntry>,
}

impl Manifest {
    /// Lists a base installer under its platform's name when it has one of the contract's file
    /// names, else under its own file name.
    pub fn insert(&mut self, entry: ManifestEntry) {
        let key = match Platform::from_file_name(&entry.file) {
            Some(platform) => platform.name().to_string(),
            None => entry.file.clone(),
        };
        self.installers.insert(key, entry);
    }

    pub fn for_platform(&self, platform: Platform) -> Option<&ManifestEntry> {
        self.installers.get(platform.name())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain data always serializes")
    }

    /// [`Manifest::parse_typed`], with the problem in English.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        Manifest::parse_typed(text).map_err(String::from)
    }

    /// Reads the platforms' entries of a manifest (the page builds nothing else) and checks
    /// each: a plain file name (the manifest must not send the page elsewhere) and a sha256 of
    /// 64 hexadecimal digits.
    pub fn parse_typed(text: &str) -> Result<Manifest, ProblemKind> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| ProblemKind::ManifestNotJson {
                detail: e.to_string(),
            })?;
        let installers = value
            .get("installers")
            .and_then(|i| i.as_object())
            .ok_or(ProblemKind::ManifestNoInstallers)?;
        let mut manifest = Manifest::default();
        for platform in Platform::ALL {
            let key = platform.name();
            let Some(entry) = installers.get(key) else {
                continue;
            };
            let field = |name: &str| {
                entry.get(name).ok_or(ProblemKind::ManifestFieldMissing {
                    platform,
                    field: name.into(),
                })
            };
            let file = field("file")?.as_str().unwrap_or_default().to_string();
            if file.is_empty() || file.contains(['/', '\\', '?', '#']) || file.starts_with('.') {
                return Err(ProblemKind::ManifestBadFileName { platform, file });
            }
            let size = field("size")?
                .as_u64()
                .ok_or(ProblemKind::ManifestSizeNotNumber { platform })?;
            let sha256 = field("sha256")?
                .as_str()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ProblemKind::ManifestBadSha256 { platform });
            }
            manifest
                .installers
                .insert(key.to_string(), ManifestEntry { file, size, sha256 });
        }
        Ok(manifest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(file: &str) -> ManifestEntry {
        ManifestEntry {
            file: file.into(),
            size: 3,
            sha256: "ab".repeat(32),
        }
    }

    #[test]
    fn lists_platforms_by_name_and_reads_back_what_it_writes() {
        let mut manifest = Manifest::default();
        manifest.insert(entry("seattle_win.zip"));
        manifest.insert(entry("extra.tar.gz"));
        assert_eq!(
            manifest.for_platform(Platform::Windows),
            Some(&entry("seattle_win.zip"))
        );
        assert!(manifest.installers.contains_key("extra.tar.gz"));
        let read = Manifest::parse(&manifest.to_json()).unwrap();
        assert_eq!(
            read.for_platform(Platform::Windows),
            Some(&entry("seattle_win.zip"))
        );
        assert_eq!(
            read.installers.len(),
            1,
            "other archives are listed, not read"
        );
    }

    #[test]
    fn refuses_entries_the_page_must_not_follow() {
        let with = |file: &str, sha: &str| {
            format!(
                r#"{{"installers": {{"linux": {{"file": "{file}", "size": 1, "sha256": "{sha}"}}}}}}"#
            )
        };
        let good = "0".repeat(64);
        assert!(Manifest::parse(&with("seattle_linux.tgz", &good)).is_ok());
        assert!(Manifest::parse(&with("../x.tgz", &good))
            .unwrap_err()
            .contains("plain file name"));
        assert!(Manifest::parse(&with("x.tgz", "abc"))
            .unwrap_err()
            .contains("64 hexadecimal"));
        assert!(Manifest::parse("{}")
            .unwrap_err()
            .contains("no \"installers\""));
        assert!(Manifest::parse("nope").unwrap_err().contains("not JSON"));
    }
}
