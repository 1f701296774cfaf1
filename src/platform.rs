//! The four platforms a Seattle base installer exists for, and the file name of each.

use std::fmt;
use std::str::FromStr;

/// How a base installer is packed. Customizing reads the kind from the bytes, never from the name;
/// this is what the file name promises (and what a host announces as its content type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    Zip,
    TarGz,
}

impl ArchiveKind {
    pub fn media_type(self) -> &'static str {
        match self {
            ArchiveKind::Zip => "application/zip",
            ArchiveKind::TarGz => "application/gzip",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    Linux,
    Mac,
    Windows,
    Android,
}

impl Platform {
    pub const ALL: [Platform; 4] = [
        Platform::Linux,
        Platform::Mac,
        Platform::Windows,
        Platform::Android,
    ];

    /// The name used in the legacy API's `installers` map and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Linux => "linux",
            Platform::Mac => "mac",
            Platform::Windows => "windows",
            Platform::Android => "android",
        }
    }

    /// The label a person sees.
    pub fn label(self) -> &'static str {
        match self {
            Platform::Linux => "Linux",
            Platform::Mac => "Mac",
            Platform::Windows => "Windows",
            Platform::Android => "Android",
        }
    }

    /// The base installer's file name; a customized installer keeps it.
    pub fn file_name(self) -> &'static str {
        match self {
            Platform::Linux => "seattle_linux.tgz",
            Platform::Mac => "seattle_mac.tgz",
            Platform::Windows => "seattle_win.zip",
            Platform::Android => "seattle_android.zip",
        }
    }

    pub fn archive_kind(self) -> ArchiveKind {
        match self {
            Platform::Linux | Platform::Mac => ArchiveKind::TarGz,
            Platform::Windows | Platform::Android => ArchiveKind::Zip,
        }
    }

    /// The platform whose base installer has this file name, if any.
    pub fn from_file_name(name: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.file_name() == name)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPlatform(pub String);

impl fmt::Display for UnknownPlatform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown platform {:?}: expected one of linux, mac, windows, android",
            self.0
        )
    }
}

impl std::error::Error for UnknownPlatform {}

impl FromStr for Platform {
    type Err = UnknownPlatform;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownPlatform(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_files_match_the_contract() {
        for p in Platform::ALL {
            assert_eq!(p.name().parse::<Platform>(), Ok(p));
            assert_eq!(Platform::from_file_name(p.file_name()), Some(p));
        }
        assert_eq!(Platform::Windows.file_name(), "seattle_win.zip");
        assert_eq!(Platform::Mac.archive_kind(), ArchiveKind::TarGz);
        assert!("solaris".parse::<Platform>().is_err());
        assert_eq!(Platform::from_file_name("seattle_linux.tar.gz"), None);
    }
}
