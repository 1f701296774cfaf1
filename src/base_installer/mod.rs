//! Customizing a base installer: the same archive with `seattle/seattle_repy/vesselinfo` added
//! or replaced, described as pieces of the base so nothing large is copied or recompressed.

mod entry_path;
mod pack;
mod pieces;
mod tar_gz;
mod zip;

pub use self::zip::{
    customize_zip_tail, installer_files_from_zip_tail, repy_files_from_zip_tail, zip_tail_start,
    TailOutcome, TailRead,
};
pub use pack::{pack, TreeEntry};
pub use pieces::{Piece, Pieces};

use crate::platform::ArchiveKind;
use crate::problem::{english_display, Arg, Localized};
use crate::vesselinfo::ARCHIVE_PATH;

/// Real base installers are a few tens of megabytes; these bounds leave room and keep a hostile
/// file from exhausting memory.
pub const MAX_BASE_BYTES: u64 = 1 << 30;
pub const MAX_UNPACKED_BYTES: u64 = 2 << 30;
pub const MAX_ENTRIES: usize = 200_000;
/// What reading the Seattle folder's files (to check metainfo) may hold in memory: real ones
/// are a few megabytes.
pub const MAX_REPY_FILES_BYTES: u64 = 256 << 20;

/// The folder the Seattle installer runs from; vesselinfo goes in it.
pub const REPY_FOLDER: &str = "seattle/seattle_repy/";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customized {
    pub kind: ArchiveKind,
    pub pieces: Pieces,
}

/// Why a base installer cannot be customized. Nothing is written when this happens.
///
/// The kind is typed (each variant has its message id, see [`Localized`]); the `String` of
/// `Corrupt`, `UnsafeEntry`, `TooLarge` and `Unsupported` is the low-level technical detail
/// (an archive reader's or inflater's account, an entry's name and sizes), kept as an English
/// argument: it speaks of archive internals that a translation would not make clearer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseInstallerError {
    Empty,
    NotAnArchive,
    NotATar,
    Corrupt(String),
    UnsafeEntry(String),
    NoRepyFolder,
    TooLarge(String),
    Unsupported(String),
}

impl BaseInstallerError {
    /// One of each, for checking catalogs.
    pub fn samples() -> Vec<BaseInstallerError> {
        let detail = || "an entry ends early".to_string();
        vec![
            Self::Empty,
            Self::NotAnArchive,
            Self::NotATar,
            Self::Corrupt(detail()),
            Self::UnsafeEntry(detail()),
            Self::NoRepyFolder,
            Self::TooLarge(detail()),
            Self::Unsupported(detail()),
        ]
    }
}

impl Localized for BaseInstallerError {
    fn id(&self) -> &'static str {
        match self {
            Self::Empty => "problem-base-installer-empty",
            Self::NotAnArchive => "problem-base-installer-not-an-archive",
            Self::NotATar => "problem-base-installer-not-a-tar",
            Self::Corrupt(_) => "problem-base-installer-corrupt",
            Self::UnsafeEntry(_) => "problem-base-installer-unsafe",
            Self::NoRepyFolder => "problem-base-installer-no-repy-folder",
            Self::TooLarge(_) => "problem-base-installer-too-large",
            Self::Unsupported(_) => "problem-base-installer-unsupported",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            Self::Corrupt(why)
            | Self::UnsafeEntry(why)
            | Self::TooLarge(why)
            | Self::Unsupported(why) => {
                vec![("detail", Arg::Text(why.clone()))]
            }
            Self::NoRepyFolder => vec![("folder", Arg::Text(REPY_FOLDER.into()))],
            Self::Empty | Self::NotAnArchive | Self::NotATar => vec![],
        }
    }
}

english_display!(BaseInstallerError);

impl std::error::Error for BaseInstallerError {}

/// What kind of archive `base` is, from its bytes (never its name); an empty file or one that is
/// neither kind is refused here, for every reader alike.
pub fn archive_kind(base: &[u8]) -> Result<ArchiveKind, BaseInstallerError> {
    if base.is_empty() {
        Err(BaseInstallerError::Empty)
    } else if tar_gz::is_gzip(base) {
        Ok(ArchiveKind::TarGz)
    } else if zip::looks_like_zip(base) {
        Ok(ArchiveKind::Zip)
    } else {
        Err(BaseInstallerError::NotAnArchive)
    }
}

/// Where a reader that holds only part of an installer of `total_len` bytes starts, from its
/// first bytes `head`: a tar.gz at its first byte (its stream is read whole), anything else as
/// a zip at its tail (`zip_tail_start`), which is refused there if it is none.
pub fn reading_start(head: &[u8], total_len: u64) -> (ArchiveKind, u64) {
    match tar_gz::is_gzip(head) {
        true => (ArchiveKind::TarGz, 0),
        false => (ArchiveKind::Zip, zip_tail_start(total_len)),
    }
}

/// The two files that say what an installer grants and how it is updated, as extracting it
/// would leave them (the last entry of each name); `None` for one it does not have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstallerFiles {
    /// `seattle/seattle_repy/vesselinfo`.
    pub vesselinfo: Option<Vec<u8>>,
    /// `seattle/seattle_repy/metainfo`.
    pub metainfo: Option<Vec<u8>>,
}

/// Reads an installer's vesselinfo and metainfo, after the same checks (and with the same
/// messages) as customizing it: a file that could not be customized is not read either. A zip
/// is read from its central directory and those two entries only.
pub fn installer_files(installer: &[u8]) -> Result<InstallerFiles, BaseInstallerError> {
    check_base_size(installer)?;
    match archive_kind(installer)? {
        ArchiveKind::TarGz => tar_gz::installer_files(installer),
        ArchiveKind::Zip => zip::installer_files(installer, 0).map_err(BaseInstallerError::from),
    }
}

/// Customizes a whole base installer. The archive type comes from the bytes, not a file name.
pub fn customize(base: &[u8], vesselinfo: &[u8]) -> Result<Customized, BaseInstallerError> {
    check_base_size(base)?;
    let kind = archive_kind(base)?;
    let pieces = match kind {
        ArchiveKind::TarGz => tar_gz::customize(base, vesselinfo)?,
        ArchiveKind::Zip => {
            zip::customize(base, 0, vesselinfo).map_err(BaseInstallerError::from)?
        }
    };
    Ok(Customized { kind, pieces })
}

/// The regular files of the installer's Seattle folder (`seattle/seattle_repy/...`) with their
/// bytes, read by the same readers as customizing (so with the same checks); folders and links
/// are left out. This is what metainfo describes.
pub fn repy_files(base: &[u8]) -> Result<Vec<TreeEntry>, BaseInstallerError> {
    match archive_kind(base)? {
        ArchiveKind::TarGz => tar_gz::repy_files(base),
        ArchiveKind::Zip => zip::repy_files(base, 0).map_err(BaseInstallerError::from),
    }
}

/// How many bytes a gzip'd base installer unpacks to, by the same inflater and checks as
/// customizing: the floor that customizing a tar.gz is measured against (the page's benchmark
/// times both in its worker).
pub fn inflated_size(base: &[u8]) -> Result<u64, BaseInstallerError> {
    if !tar_gz::is_gzip(base) {
        return Err(BaseInstallerError::Unsupported(
            "only a gzip stream is inflated".into(),
        ));
    }
    tar_gz::inflated_size(base)
}

/// A gzip'd tar base installer with the same entries, laid out so that customizing it rewrites
/// only a tiny last gzip member (see `tar_gz`). Zips need no such thing.
pub fn relayout(base: &[u8]) -> Result<Vec<u8>, BaseInstallerError> {
    if !tar_gz::is_gzip(base) {
        return Err(BaseInstallerError::Unsupported(
            "only a gzip'd tar needs a new layout; a zip customizes fast as it is".into(),
        ));
    }
    tar_gz::relayout(base)
}

fn check_base_size(base: &[u8]) -> Result<(), BaseInstallerError> {
    if base.len() as u64 > MAX_BASE_BYTES {
        return Err(BaseInstallerError::TooLarge(format!(
            "{} bytes; at most {MAX_BASE_BYTES} are accepted",
            base.len()
        )));
    }
    Ok(())
}

/// What claims to unpack to more than a whole installer may is refused from its header, before
/// anything is inflated.
fn check_claimed_size(what: &str, claimed: u64) -> Result<(), BaseInstallerError> {
    if claimed > MAX_UNPACKED_BYTES {
        return Err(BaseInstallerError::TooLarge(format!(
            "{what} would unpack to {claimed} bytes; at most {MAX_UNPACKED_BYTES} are accepted"
        )));
    }
    Ok(())
}

/// Adds a file's size to what reading the Seattle folder holds, refusing past the bound.
fn hold_repy_file(held: &mut u64, size: u64) -> Result<(), BaseInstallerError> {
    *held = held.saturating_add(size);
    if *held > MAX_REPY_FILES_BYTES {
        return Err(BaseInstallerError::TooLarge(format!(
            "the files of its {REPY_FOLDER} folder take more than {MAX_REPY_FILES_BYTES} bytes"
        )));
    }
    Ok(())
}

/// What the customizing needs to know of each entry's name.
enum EntryRole {
    Vesselinfo,
    InRepyFolder,
    Other,
}

/// Checks an entry's name (see `entry_path::check`) and tells vesselinfo, which is replaced,
/// from the rest of the Seattle folder; with the name as checked.
fn entry_role(raw_name: &[u8]) -> Result<(EntryRole, String), BaseInstallerError> {
    let name = entry_path::check(raw_name).map_err(BaseInstallerError::UnsafeEntry)?;
    let role = if name == ARCHIVE_PATH {
        EntryRole::Vesselinfo
    } else if name.starts_with(REPY_FOLDER) || name == REPY_FOLDER.trim_end_matches('/') {
        EntryRole::InRepyFolder
    } else {
        EntryRole::Other
    };
    Ok((role, name))
}

#[cfg(test)]
mod tests;
