//! Packing a folder tree into a base installer, laid out for fast customizing: a tar.gz keeps its
//! end-of-archive blocks in a gzip member of their own, so adding vesselinfo rewrites only that
//! member. The project makes its demo base installers (and benchmark inputs) with this.

use super::tar_gz::{gzip, gzip_at, tar_end, tar_entry};
use crate::platform::ArchiveKind;
use flate2::Compression;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One entry of the tree: a folder (path ends with `/`) or a file with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    pub path: String,
    pub mode: u32,
    pub contents: Vec<u8>,
}

impl TreeEntry {
    /// A folder (mode 0755); `path` ends with `/`.
    pub fn folder(path: &str) -> TreeEntry {
        TreeEntry {
            path: path.into(),
            mode: 0o755,
            contents: Vec::new(),
        }
    }

    pub fn file(path: &str, mode: u32, contents: Vec<u8>) -> TreeEntry {
        TreeEntry {
            path: path.into(),
            mode,
            contents,
        }
    }

    pub fn is_folder(&self) -> bool {
        self.path.ends_with('/')
    }
}

/// Every entry is dated 2026-01-01 00:00 UTC, so the same tree gives the same bytes.
const PACKED_AT_UNIX: u64 = 1_767_225_600;

fn packed_at_zip() -> DateTime {
    DateTime::from_date_and_time(2026, 1, 1, 0, 0, 0).expect("a valid date")
}

pub fn pack(kind: ArchiveKind, tree: &[TreeEntry]) -> Result<Vec<u8>, String> {
    match kind {
        ArchiveKind::TarGz => {
            let mut entries = Vec::new();
            for entry in tree {
                let kind = if entry.is_folder() {
                    tar::EntryType::Directory
                } else {
                    tar::EntryType::Regular
                };
                entries.extend_from_slice(&tar_entry(
                    &entry.path,
                    kind,
                    entry.mode,
                    PACKED_AT_UNIX,
                    &entry.contents,
                )?);
            }
            let mut packed = gzip_at(&entries, Compression::best());
            packed.extend_from_slice(&gzip(&tar_end(entries.len() as u64)));
            Ok(packed)
        }
        ArchiveKind::Zip => {
            let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
            let date = packed_at_zip();
            let result = (|| {
                for entry in tree {
                    let options = SimpleFileOptions::default()
                        .compression_method(CompressionMethod::Deflated)
                        .last_modified_time(date)
                        .unix_permissions(entry.mode);
                    if entry.is_folder() {
                        zip.add_directory(entry.path.as_str(), options)?;
                    } else {
                        zip.start_file(entry.path.as_str(), options)?;
                        zip.write_all(&entry.contents)?;
                    }
                }
                zip.finish()
            })();
            result
                .map(Cursor::into_inner)
                .map_err(|e| format!("could not zip the tree: {e}"))
        }
    }
}
