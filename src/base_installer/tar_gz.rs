//! Gzip'd tar base installers. A gzip stream can only be read by inflating it, so the aim is
//! one inflation, which also checks every byte, and recompressing as little as possible: the
//! compressed bytes up to the last deflate block boundary before the tar's first change (its
//! end-of-archive blocks, or an old vesselinfo) are kept as they are, and only the rest is
//! compressed again, continuing the same deflate stream (`splice`). The tar is walked as it is
//! inflated, so the unpacked archive is never held in memory (`walk`, `members`).

mod members;
mod splice;
mod walk;
mod zlib;

use super::{BaseInstallerError, InstallerFiles, Pieces, TreeEntry};
use crate::metainfo::ARCHIVE_PATH as METAINFO_PATH;
use crate::vesselinfo::ARCHIVE_PATH;
use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};
use members::Members;
use splice::Splice;
use std::io::{Read, Write};
use std::ops::Range;

const BLOCK: u64 = 512;
/// GNU tar pads archives to 20 blocks; some old extractors expect it.
const RECORD: u64 = 20 * BLOCK;

pub(super) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

pub(super) fn customize(base: &[u8], vesselinfo: &[u8]) -> Result<Pieces, BaseInstallerError> {
    let walk::Scan { layout, cut } = walk::scan(base, None)?;
    let mut splice = Splice::at(base, &cut);
    let mut rest = Members::resume(base, &cut);
    let removed: u64 = layout.vesselinfo.iter().map(|r| r.end - r.start).sum();
    copy_tar(
        &mut rest,
        cut.unpacked..layout.end,
        &layout.vesselinfo,
        |bytes| splice.write(bytes),
    )?;
    let entry = vesselinfo_entry(vesselinfo, layout.repy_mtime);
    splice.write(&entry);
    splice.write(&tar_end(layout.end - removed + entry.len() as u64));

    let mut pieces = Pieces::default();
    pieces.keep(0..cut.split(base).0 as u64);
    pieces.add(splice.finish());
    Ok(pieces)
}

/// The same tar in the layout that customizes with the least recompressing: its entries in one
/// gzip member (compressed once, as small as gzip makes it), the end-of-archive blocks in a
/// second.
pub(super) fn relayout(base: &[u8]) -> Result<Vec<u8>, BaseInstallerError> {
    let end = walk::scan(base, None)?.layout.end;
    let mut entries: GzEncoder<Vec<u8>> = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::best());
    copy_tar(&mut Members::new(base, None), 0..end, &[], |bytes| {
        entries.write_all(bytes).expect("writing to memory")
    })?;
    let mut packed = entries.finish().expect("writing to memory");
    packed.extend_from_slice(&gzip(&tar_end(end)));
    Ok(packed)
}

pub(super) fn inflated_size(base: &[u8]) -> Result<u64, BaseInstallerError> {
    let mut members = Members::new(base, None);
    let inflated = std::io::copy(&mut members, &mut std::io::sink());
    match (members.error.take(), inflated) {
        (Some(error), _) => Err(error),
        (None, Ok(size)) => Ok(size),
        (None, Err(e)) => Err(BaseInstallerError::Corrupt(e.to_string())),
    }
}

/// The Seattle folder's regular files, from one decompression (which checks every CRC).
pub(super) fn repy_files(base: &[u8]) -> Result<Vec<TreeEntry>, BaseInstallerError> {
    collect(base, |_| true)
}

/// The last regular vesselinfo and metainfo files, from the same walk as customizing's.
pub(super) fn installer_files(base: &[u8]) -> Result<InstallerFiles, BaseInstallerError> {
    let mut files = collect(base, |path| path == ARCHIVE_PATH || path == METAINFO_PATH)?;
    let mut last = |path: &str| {
        let at = files.iter().rposition(|f| f.path == path)?;
        Some(files.swap_remove(at).contents)
    };
    Ok(InstallerFiles {
        vesselinfo: last(ARCHIVE_PATH),
        metainfo: last(METAINFO_PATH),
    })
}

fn collect(base: &[u8], wanted: fn(&str) -> bool) -> Result<Vec<TreeEntry>, BaseInstallerError> {
    let mut files = Vec::new();
    walk::scan(
        base,
        Some(walk::Collect {
            files: &mut files,
            wanted,
        }),
    )?;
    Ok(files)
}

/// Hands `sink` the tar's bytes in `range`, read from `tar` (which starts there), leaving out
/// the ranges in `skip`.
fn copy_tar(
    tar: &mut Members,
    range: Range<u64>,
    skip: &[Range<u64>],
    mut sink: impl FnMut(&[u8]),
) -> Result<(), BaseInstallerError> {
    let mut buffer = vec![0; 1 << 16];
    let mut at = range.start;
    while at < range.end {
        let want = (range.end - at).min(buffer.len() as u64) as usize;
        let got = match tar.read(&mut buffer[..want]) {
            Ok(0) => Err(None),
            Ok(got) => Ok(got),
            Err(_) => Err(tar.error.take()),
        };
        let got = got.map_err(|error| {
            error.unwrap_or_else(|| BaseInstallerError::Corrupt("the tar ends early".into()))
        })?;
        let chunk = &buffer[..got];
        let chunk_start = at;
        at += got as u64;
        let within = |offset: u64| (offset - chunk_start) as usize;
        let mut from = chunk_start;
        // `skip` is in tar order.
        for removed in skip {
            if removed.end <= from || removed.start >= at {
                continue;
            }
            if removed.start > from {
                sink(&chunk[within(from)..within(removed.start)]);
            }
            from = removed.end;
        }
        if from < at {
            sink(&chunk[within(from)..]);
        }
    }
    Ok(())
}

/// A regular file, mode 0644, dated like the folder it goes in.
fn vesselinfo_entry(vesselinfo: &[u8], mtime: u64) -> Vec<u8> {
    tar_entry(
        ARCHIVE_PATH,
        tar::EntryType::Regular,
        0o644,
        mtime,
        vesselinfo,
    )
    .expect("a short ASCII path")
}

/// One ustar entry owned by root: header, data, padding.
pub(super) fn tar_entry(
    path: &str,
    kind: tar::EntryType,
    mode: u32,
    mtime: u64,
    data: &[u8],
) -> Result<Vec<u8>, String> {
    let mut header = tar::Header::new_ustar();
    header.set_path(path).map_err(|e| format!("{path}: {e}"))?;
    header.set_entry_type(kind);
    header.set_size(data.len() as u64);
    header.set_mode(mode);
    header.set_uid(0);
    header.set_gid(0);
    header.set_mtime(mtime);
    header.set_cksum();
    let mut entry = header.as_bytes().to_vec();
    entry.extend_from_slice(data);
    entry.resize(entry.len().div_ceil(BLOCK as usize) * BLOCK as usize, 0);
    Ok(entry)
}

/// The end-of-archive blocks for a tar whose entries take `entries_len` bytes, padded to a record.
pub(super) fn tar_end(entries_len: u64) -> Vec<u8> {
    let total = entries_len + 2 * BLOCK;
    vec![0; (2 * BLOCK + (RECORD - total % RECORD) % RECORD) as usize]
}

/// A gzip member with a fixed header (no name, no date), so output is reproducible; level 4,
/// as `pack` has always made the end-of-archive member.
pub(super) fn gzip(bytes: &[u8]) -> Vec<u8> {
    gzip_at(bytes, Compression::new(4))
}

pub(super) fn gzip_at(bytes: &[u8], level: Compression) -> Vec<u8> {
    let mut encoder: GzEncoder<Vec<u8>> = GzBuilder::new().mtime(0).write(Vec::new(), level);
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

#[cfg(test)]
mod tests;
