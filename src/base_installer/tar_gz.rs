//! Gzip'd tar base installers. A gzip stream can only be edited by decompressing it, so the aim
//! is one decompression (which also checks every byte and the CRC) and recompressing as little
//! as possible: the gzip members before the first one that changes are kept as they are. The
//! project's own base installers keep the tar's end-of-archive blocks in a last member of their
//! own, so only that tiny member is rewritten.

use super::{
    entry_path, entry_role, BaseInstallerError, EntryRole, Pieces, TreeEntry, MAX_ENTRIES,
    MAX_UNPACKED_BYTES,
};
use crate::vesselinfo::ARCHIVE_PATH;
use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};
use std::io::{Read, Write};
use std::ops::Range;

const BLOCK: u64 = 512;
/// GNU tar pads archives to 20 blocks; some old extractors expect it.
const RECORD: u64 = 20 * BLOCK;

pub(super) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// One gzip member: where it is in the base, and what it unpacks to in the tar.
struct Member {
    packed: Range<u64>,
    unpacked: Range<u64>,
}

pub(super) fn customize(base: &[u8], vesselinfo: &[u8]) -> Result<Pieces, BaseInstallerError> {
    let (tar, members) = gunzip(base)?;
    let layout = read_tar(&tar)?;

    let first_change = layout
        .vesselinfo
        .first()
        .map_or(layout.end, |r| r.start.min(layout.end));
    let first_rewritten = members
        .iter()
        .position(|m| m.unpacked.end > first_change)
        .unwrap_or(members.len());
    let (packed_kept, unpacked_kept) = match members.get(first_rewritten) {
        Some(m) => (m.packed.start, m.unpacked.start),
        None => (base.len() as u64, tar.len() as u64),
    };

    let mut rewritten = Vec::new();
    let mut from = unpacked_kept;
    for removed in layout
        .vesselinfo
        .iter()
        .filter(|r| r.start >= unpacked_kept)
    {
        rewritten.extend_from_slice(&tar[from as usize..removed.start as usize]);
        from = removed.end;
    }
    rewritten.extend_from_slice(&tar[from as usize..layout.end.max(from) as usize]);
    rewritten.extend_from_slice(&vesselinfo_entry(vesselinfo, layout.repy_mtime));
    rewritten.extend_from_slice(&tar_end(unpacked_kept + rewritten.len() as u64));

    let mut pieces = Pieces::default();
    pieces.keep(0..packed_kept);
    pieces.add(gzip(&rewritten));
    Ok(pieces)
}

/// The same tar in the layout that customizes fast: its entries in one gzip member (compressed
/// once, as small as gzip makes it), the end-of-archive blocks in a second.
pub(super) fn relayout(base: &[u8]) -> Result<Vec<u8>, BaseInstallerError> {
    let (tar, _) = gunzip(base)?;
    let layout = read_tar(&tar)?;
    let entries = &tar[..layout.end as usize];
    let mut packed = gzip_at(entries, Compression::best());
    packed.extend_from_slice(&gzip(&tar_end(layout.end)));
    Ok(packed)
}

/// The Seattle folder's regular files, from one decompression (which checks every CRC).
pub(super) fn repy_files(base: &[u8]) -> Result<Vec<TreeEntry>, BaseInstallerError> {
    let (tar, _) = gunzip(base)?;
    let layout = read_tar(&tar)?;
    let files = layout.repy_files.into_iter();
    Ok(files
        .map(|(path, mode, data)| TreeEntry::file(&path, mode, tar[data].to_vec()))
        .collect())
}

/// Decompresses every member, keeping where each begins and ends; a bad CRC, a truncated
/// stream or trailing garbage is refused.
fn gunzip(base: &[u8]) -> Result<(Vec<u8>, Vec<Member>), BaseInstallerError> {
    let mut tar = Vec::new();
    let mut members = Vec::new();
    let mut rest = base;
    while !rest.is_empty() {
        let at = (base.len() - rest.len()) as u64;
        if !is_gzip(rest) {
            return Err(BaseInstallerError::Corrupt(format!(
                "unexpected data after the gzip stream at byte {at}"
            )));
        }
        let unpacked_start = tar.len() as u64;
        let mut decoder = flate2::bufread::GzDecoder::new(rest);
        let room = MAX_UNPACKED_BYTES - unpacked_start;
        (&mut decoder)
            .take(room + 1)
            .read_to_end(&mut tar)
            .map_err(|e| BaseInstallerError::Corrupt(format!("gzip data at byte {at}: {e}")))?;
        if tar.len() as u64 > MAX_UNPACKED_BYTES {
            return Err(BaseInstallerError::TooLarge(format!(
                "it unpacks to more than {MAX_UNPACKED_BYTES} bytes"
            )));
        }
        rest = decoder.into_inner();
        let packed_end = (base.len() - rest.len()) as u64;
        if packed_end == at {
            return Err(BaseInstallerError::Corrupt(format!(
                "an empty gzip member at byte {at}"
            )));
        }
        members.push(Member {
            packed: at..packed_end,
            unpacked: unpacked_start..tar.len() as u64,
        });
    }
    Ok((tar, members))
}

/// What customizing needs of the tar: where its entries end (the end-of-archive blocks start
/// there), where any vesselinfo entries are, and the Seattle folder's date.
struct TarLayout {
    end: u64,
    vesselinfo: Vec<Range<u64>>,
    repy_mtime: u64,
    /// The Seattle folder's regular files: name, mode and where their bytes are.
    repy_files: Vec<(String, u32, Range<usize>)>,
}

fn read_tar(tar: &[u8]) -> Result<TarLayout, BaseInstallerError> {
    if tar.len() < BLOCK as usize
        || tar[..BLOCK as usize].iter().all(|&b| b == 0) && tar.iter().all(|&b| b == 0)
    {
        return Err(if tar.is_empty() {
            BaseInstallerError::NotATar
        } else {
            BaseInstallerError::NoRepyFolder
        });
    }
    let mut archive = tar::Archive::new(tar);
    let entries = archive.entries().map_err(|_| BaseInstallerError::NotATar)?;
    let mut layout = TarLayout {
        end: 0,
        vesselinfo: Vec::new(),
        repy_mtime: 0,
        repy_files: Vec::new(),
    };
    let mut has_repy_folder = false;
    for (count, entry) in entries.enumerate() {
        let entry = entry.map_err(|e| match count {
            0 => BaseInstallerError::NotATar,
            _ => BaseInstallerError::Corrupt(format!("tar entry {}: {e}", count + 1)),
        })?;
        if count >= MAX_ENTRIES {
            return Err(BaseInstallerError::TooLarge(format!(
                "more than {MAX_ENTRIES} entries"
            )));
        }
        let data_end = entry
            .raw_file_position()
            .checked_add(entry.size())
            .filter(|&end| end <= tar.len() as u64);
        let Some(data_end) = data_end else {
            return Err(BaseInstallerError::Corrupt(format!(
                "the tar is cut off inside {:?}",
                String::from_utf8_lossy(&entry.path_bytes())
            )));
        };
        let start = layout.end;
        layout.end = data_end.div_ceil(BLOCK) * BLOCK;
        if entry.header().entry_type().is_hard_link() {
            if let Some(target) = entry.link_name_bytes() {
                entry_role(&target)?;
            }
        }
        let role = entry_role(&entry.path_bytes())?;
        if !matches!(role, EntryRole::Other) && entry.header().entry_type().is_file() {
            let name =
                entry_path::check(&entry.path_bytes()).map_err(BaseInstallerError::UnsafeEntry)?;
            let mode = entry.header().mode().unwrap_or(0o644) & 0o7777;
            let data = entry.raw_file_position() as usize..data_end as usize;
            layout.repy_files.push((name, mode, data));
        }
        match role {
            EntryRole::Vesselinfo => layout.vesselinfo.push(start..layout.end),
            EntryRole::InRepyFolder => {
                has_repy_folder = true;
                if entry.header().entry_type().is_dir() {
                    layout.repy_mtime = entry.header().mtime().unwrap_or(0);
                }
            }
            EntryRole::Other => {}
        }
    }
    if !has_repy_folder {
        return Err(BaseInstallerError::NoRepyFolder);
    }
    Ok(layout)
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

/// A gzip member with a fixed header (no name, no date), so output is reproducible. For a
/// foreign tar.gz the whole tar is recompressed here; level 4 measured three times faster than
/// gzip's default level 6 for 4% more bytes (level 1: seven times faster, but 38% more bytes).
pub(super) fn gzip(bytes: &[u8]) -> Vec<u8> {
    gzip_at(bytes, Compression::new(4))
}

pub(super) fn gzip_at(bytes: &[u8], level: Compression) -> Vec<u8> {
    let mut encoder: GzEncoder<Vec<u8>> = GzBuilder::new().mtime(0).write(Vec::new(), level);
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}
