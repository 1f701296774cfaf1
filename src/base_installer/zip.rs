//! Zip base installers: every entry's bytes stay where they are (never inflated or deflated);
//! vesselinfo is appended and a new central directory is written after it.
//!
//! Only the central directory is read, so a browser can hand over the last part of a 50 MB
//! installer and assemble the rest from slices of the download.

use super::{
    check_claimed_size, entry_path, entry_role, hold_repy_file, BaseInstallerError, Customized,
    EntryRole, InstallerFiles, Pieces, TreeEntry, MAX_ENTRIES, MAX_REPY_FILES_BYTES, REPY_FOLDER,
};
use crate::metainfo::ARCHIVE_PATH as METAINFO_PATH;
use crate::platform::ArchiveKind;
use crate::stored_zip::{self, StoredEntry};
use crate::vesselinfo::ARCHIVE_PATH;
use std::cell::Cell;
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;
use zip::ZipArchive;

const LOCAL_HEADER_SIGNATURE: &[u8] = b"PK\x03\x04";
const CENTRAL_HEADER_SIGNATURE: &[u8] = b"PK\x01\x02";
const END_SIGNATURE: &[u8] = b"PK\x05\x06";
/// The end record (22 bytes) plus the longest comment it can carry.
const MAX_END_LEN: usize = 22 + u16::MAX as usize;
/// Fields of a central directory record (APPNOTE 4.3.12).
const CENTRAL_FIXED_LEN: usize = 46;
/// The fixed fields of a local file header (APPNOTE 4.3.7).
const LOCAL_FIXED_LEN: u64 = 30;
const CENTRAL_LOCAL_OFFSET_AT: usize = 42;
/// Beyond these, zip64 records are needed; base installers are far smaller.
const ZIP32_MAX_ENTRIES: usize = 0xFFFE;
const ZIP32_MAX_OFFSET: u64 = 0xFFFF_FFFE;
/// A customized zip keeps zip32's end record.
const CUSTOMIZE_MAX_ENTRIES: usize = if MAX_ENTRIES < ZIP32_MAX_ENTRIES {
    MAX_ENTRIES
} else {
    ZIP32_MAX_ENTRIES
};
const ZIP64_LOCATOR_SIGNATURE: &[u8] = b"PK\x06\x07";
const ZIP64_END_SIGNATURE: &[u8] = b"PK\x06\x06";

pub(super) fn looks_like_zip(bytes: &[u8]) -> bool {
    let end = &bytes[bytes.len().saturating_sub(MAX_END_LEN)..];
    bytes.starts_with(LOCAL_HEADER_SIGNATURE)
        || end.windows(END_SIGNATURE.len()).any(|w| w == END_SIGNATURE)
}

/// How far from its end a browser should first read a zip of `total_len` bytes.
pub fn zip_tail_start(total_len: u64) -> u64 {
    total_len.saturating_sub(MAX_END_LEN as u64 + 64 * 1024)
}

/// The outcome of customizing from the last part of a zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TailOutcome {
    Customized(Customized),
    /// The central directory starts earlier: call again with the bytes from this offset on.
    NeedsBytesFrom(u64),
}

/// Customizes a zip from `tail`, its bytes from `tail_start` to its end.
pub fn customize_zip_tail(
    tail: &[u8],
    tail_start: u64,
    vesselinfo: &[u8],
) -> Result<TailOutcome, BaseInstallerError> {
    judge_whole(tail, tail_start)?;
    match customize(tail, tail_start, vesselinfo) {
        Err(NeedsEarlier(offset)) => Ok(TailOutcome::NeedsBytesFrom(offset)),
        Ok(pieces) => Ok(TailOutcome::Customized(Customized {
            kind: ArchiveKind::Zip,
            pieces,
        })),
        Err(Failed(e)) => Err(e),
    }
}

/// The outcome of reading an installer's files (or, `TailRead<Vec<TreeEntry>>`, its Seattle
/// folder) from the last part of a zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TailRead<T = InstallerFiles> {
    Read(T),
    /// An entry or the central directory starts earlier: call again with the bytes from this
    /// offset on.
    NeedsBytesFrom(u64),
}

/// Reads vesselinfo and metainfo from `tail`, a zip's bytes from `tail_start` to its end, with
/// the checks and messages of `customize_zip_tail`.
pub fn installer_files_from_zip_tail(
    tail: &[u8],
    tail_start: u64,
) -> Result<TailRead, BaseInstallerError> {
    judge_whole(tail, tail_start)?;
    match installer_files(tail, tail_start) {
        Err(NeedsEarlier(offset)) => Ok(TailRead::NeedsBytesFrom(offset)),
        Ok(files) => Ok(TailRead::Read(files)),
        Err(Failed(e)) => Err(e),
    }
}

/// Reads the Seattle folder's files (what metainfo describes) from `tail`, a zip's bytes from
/// `tail_start` to its end, with the checks and messages of `repy_files`.
pub fn repy_files_from_zip_tail(
    tail: &[u8],
    tail_start: u64,
) -> Result<TailRead<Vec<TreeEntry>>, BaseInstallerError> {
    judge_whole(tail, tail_start)?;
    match repy_files(tail, tail_start) {
        Err(NeedsEarlier(offset)) => Ok(TailRead::NeedsBytesFrom(offset)),
        Ok(files) => Ok(TailRead::Read(files)),
        Err(Failed(e)) => Err(e),
    }
}

/// When the whole file is at hand, it is judged as `base_installer::archive_kind` does.
fn judge_whole(tail: &[u8], tail_start: u64) -> Result<(), BaseInstallerError> {
    if tail_start == 0 && !looks_like_zip(tail) {
        return Err(if tail.is_empty() {
            BaseInstallerError::Empty
        } else {
            BaseInstallerError::NotAnArchive
        });
    }
    Ok(())
}

pub(super) enum TailError {
    NeedsEarlier(u64),
    Failed(BaseInstallerError),
}
use TailError::{Failed, NeedsEarlier};

impl From<TailError> for BaseInstallerError {
    fn from(e: TailError) -> Self {
        match e {
            Failed(e) => e,
            NeedsEarlier(_) => {
                BaseInstallerError::Corrupt("the zip's central directory is cut off".into())
            }
        }
    }
}

impl From<BaseInstallerError> for TailError {
    fn from(e: BaseInstallerError) -> Self {
        Failed(e)
    }
}

/// One entry as the central directory places it.
struct Entry {
    /// As the archive has it, for messages.
    name: String,
    /// As checked and normalized (see `entry_path::check`).
    path: String,
    local_start: u64,
    compressed_size: u64,
    central_record: Vec<u8>,
    is_vesselinfo: bool,
}

/// The central directory, read and checked: what customizing and reading an installer both
/// rely on.
struct Directory<'a> {
    archive: ZipArchive<Tail<'a>>,
    entries: Vec<Entry>,
    /// Bytes before the zip proper (a self-extractor's stub), which its offsets leave out.
    prefix: u64,
    directory_start: u64,
    lowest_missing: Rc<Cell<Option<u64>>>,
}

fn directory(bytes: &[u8], start: u64) -> Result<Directory<'_>, TailError> {
    let lowest_missing = Rc::new(Cell::new(None));
    let reader = Tail {
        bytes,
        start,
        position: start,
        lowest_missing: lowest_missing.clone(),
    };
    check_entry_count(claimed_entries(bytes, start)?, CUSTOMIZE_MAX_ENTRIES)?;
    let archive = match ZipArchive::new(reader) {
        Ok(archive) => archive,
        Err(e) => {
            return Err(match lowest_missing.get() {
                Some(offset) => NeedsEarlier(offset),
                None => Failed(BaseInstallerError::Corrupt(format!(
                    "not a readable zip: {e}"
                ))),
            })
        }
    };
    // The zip crate may weigh readings of the archive against each other (where its end
    // record, where its start); one that needed bytes before the tail might have won with them.
    if let Some(offset) = lowest_missing.get() {
        return Err(NeedsEarlier(offset));
    }
    // The comment is copied into the customized zip, where readers that look for the end
    // record from the end would take one inside it (found by fuzzing).
    if archive.comment().windows(4).any(|w| w == END_SIGNATURE) {
        return Err(Failed(BaseInstallerError::Corrupt(
            "the zip's comment holds another end-of-central-directory record, so readers \
             disagree on where the zip ends"
                .into(),
        )));
    }
    let prefix = archive.offset();
    let directory_start = archive.central_directory_start();
    check_entry_count(archive.len() as u64, CUSTOMIZE_MAX_ENTRIES)?;
    let mut entries = Vec::with_capacity(archive.len());
    let mut has_repy_folder = false;
    let mut claimed = 0u64;
    for i in 0..archive.len() {
        let data = archive
            .by_index_data(i)
            .map_err(|e| Failed(BaseInstallerError::Corrupt(e.to_string())))?;
        let (role, path) = entry_role(data.name_raw())?;
        // Its bytes are copied unread, so sizes that cannot be true are caught here.
        check_packed_size(
            data.name_raw(),
            data.header_start(),
            data.compressed_size(),
            directory_start,
        )?;
        claimed = claimed.saturating_add(data.size());
        let name = String::from_utf8_lossy(data.name_raw()).into_owned();
        has_repy_folder |= !matches!(role, EntryRole::Other);
        let central_record = central_record(bytes, start, data.central_header_start())?;
        entries.push(Entry {
            name,
            path,
            local_start: data.header_start(),
            compressed_size: data.compressed_size(),
            central_record,
            is_vesselinfo: matches!(role, EntryRole::Vesselinfo),
        });
    }
    if !has_repy_folder {
        return Err(Failed(BaseInstallerError::NoRepyFolder));
    }
    check_claimed_size("its entries", claimed)?;
    check_local_headers(bytes, start, directory_start, &entries)?;
    let by_position = by_position(&entries);
    check_extents(bytes, start, &by_position, directory_start)?;
    Ok(Directory {
        archive,
        entries,
        prefix,
        directory_start,
        lowest_missing,
    })
}

/// The entries in the order their local parts lie in the archive. Sorted as plain numbers,
/// `start << 16 | index` (a start lies inside the archive, far below 2^48, and indices are below
/// 2^16), so the page's module reuses the zip crate's sort of u64s instead of carrying one more
/// sort.
fn by_position(entries: &[Entry]) -> Vec<&Entry> {
    let mut order: Vec<u64> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.local_start << 16) | i as u64)
        .collect();
    order.sort_unstable();
    order
        .iter()
        .map(|key| &entries[(key & 0xFFFF) as usize])
        .collect()
}

pub(super) fn customize(bytes: &[u8], start: u64, vesselinfo: &[u8]) -> Result<Pieces, TailError> {
    let Directory {
        archive,
        entries,
        prefix,
        directory_start,
        ..
    } = directory(bytes, start)?;
    // Each entry's local part runs to the next one's, or to the central directory.
    let by_position = by_position(&entries);
    let mut pieces = Pieces::default();
    let mut removed: Vec<(u64, u64)> = Vec::new();
    let mut kept_from = 0;
    for (i, entry) in by_position.iter().enumerate() {
        if entry.is_vesselinfo {
            let end = by_position
                .get(i + 1)
                .map_or(directory_start, |e| e.local_start);
            pieces.keep(kept_from..entry.local_start);
            removed.push((entry.local_start, end - entry.local_start));
            kept_from = end;
        }
    }
    pieces.keep(kept_from..directory_start);
    let shift = |offset: u64| -> u64 {
        offset
            - removed
                .iter()
                .filter(|(at, _)| *at < offset)
                .map(|(_, len)| len)
                .sum::<u64>()
    };

    let new_local_start = shift(directory_start);
    let (local, mut new_record) = new_entry(vesselinfo);
    set_local_offset(&mut new_record, new_local_start - prefix)?;
    let directory_offset = new_local_start + local.len() as u64;
    let mut directory = Vec::new();
    let mut count = 0usize;
    for entry in entries.iter().filter(|e| !e.is_vesselinfo) {
        let mut record = entry.central_record.clone();
        set_local_offset(&mut record, shift(entry.local_start) - prefix)?;
        directory.extend_from_slice(&record);
        count += 1;
    }
    directory.extend_from_slice(&new_record);
    count += 1;
    let end = end_record(
        count,
        directory.len() as u64,
        directory_offset - prefix,
        archive.comment(),
    )?;
    pieces.add(local);
    pieces.add(directory);
    pieces.add(end);
    Ok(pieces)
}

/// The installer's last regular `vesselinfo` and `metainfo` files, inflated (which checks their
/// CRCs), after every check that customizing makes of the zip; from a tail, a request for
/// earlier bytes when an entry lies before it.
pub(super) fn installer_files(bytes: &[u8], start: u64) -> Result<InstallerFiles, TailError> {
    let Directory {
        mut archive,
        entries,
        lowest_missing,
        ..
    } = directory(bytes, start)?;
    let mut held = 0u64;
    let mut read = |path: &str| -> Result<Option<Vec<u8>>, TailError> {
        // Extracting keeps the last of entries that have the same name.
        let Some(index) = entries.iter().rposition(|e| e.path == path) else {
            return Ok(None);
        };
        let needs_earlier = |e: String| match lowest_missing.get() {
            Some(offset) => NeedsEarlier(offset),
            None => Failed(BaseInstallerError::Corrupt(format!("{path}: {e}"))),
        };
        let mut file = archive
            .by_index(index)
            .map_err(|e| needs_earlier(e.to_string()))?;
        if !file.is_file() {
            return Ok(None);
        }
        let mut contents = Vec::new();
        (&mut file)
            .take(MAX_REPY_FILES_BYTES - held + 1)
            .read_to_end(&mut contents)
            .map_err(|e| needs_earlier(e.to_string()))?;
        hold_repy_file(&mut held, contents.len() as u64)?;
        Ok(Some(contents))
    };
    Ok(InstallerFiles {
        vesselinfo: read(ARCHIVE_PATH)?,
        metainfo: read(METAINFO_PATH)?,
    })
}

/// The Seattle folder's regular files, inflated (which checks each one's CRC); from a tail, a
/// request for earlier bytes when one of them lies before it.
pub(super) fn repy_files(bytes: &[u8], start: u64) -> Result<Vec<TreeEntry>, TailError> {
    let lowest_missing = Rc::new(Cell::new(None));
    let reader = Tail {
        bytes,
        start,
        position: start,
        lowest_missing: lowest_missing.clone(),
    };
    // Whatever went wrong, an entry before the tail is read first: the whole may be fine.
    let needs_earlier = |e: BaseInstallerError| match lowest_missing.get() {
        Some(offset) => NeedsEarlier(offset),
        None => Failed(e),
    };
    check_entry_count(claimed_entries(bytes, start)?, MAX_ENTRIES)?;
    let mut archive = ZipArchive::new(reader).map_err(|e| {
        needs_earlier(BaseInstallerError::Corrupt(format!(
            "not a readable zip: {e}"
        )))
    })?;
    check_entry_count(archive.len() as u64, MAX_ENTRIES)?;
    let mut files = Vec::new();
    let mut held = 0u64;
    let directory_start = archive.central_directory_start();
    for i in 0..archive.len() {
        let corrupt = |e: String| needs_earlier(BaseInstallerError::Corrupt(e));
        // The central directory tells all but the contents: an entry outside the folder is
        // judged without its local header, so a tail need not reach back to it.
        let data = archive
            .by_index_data(i)
            .map_err(|e| corrupt(e.to_string()))?;
        check_packed_size(
            data.name_raw(),
            data.header_start(),
            data.compressed_size(),
            directory_start,
        )?;
        let name = entry_path::check(data.name_raw()).map_err(BaseInstallerError::UnsafeEntry)?;
        // A folder holds no bytes to read: a tail need not reach back to its header either.
        if !name.starts_with(REPY_FOLDER) || data.name_raw().ends_with(b"/") {
            continue;
        }
        let mut file = archive.by_index(i).map_err(|e| corrupt(e.to_string()))?;
        if !file.is_file() {
            continue;
        }
        let mode = file.unix_mode().unwrap_or(0o644) & 0o7777;
        let mut contents = Vec::new();
        // Read no further than the bound, whatever the entry claims.
        (&mut file)
            .take(MAX_REPY_FILES_BYTES - held + 1)
            .read_to_end(&mut contents)
            .map_err(|e| corrupt(format!("{name}: {e}")))?;
        hold_repy_file(&mut held, contents.len() as u64)?;
        files.push(TreeEntry::file(&name, mode, contents));
    }
    Ok(files)
}

fn check_entry_count(count: u64, limit: usize) -> Result<(), BaseInstallerError> {
    if count > limit as u64 {
        return Err(BaseInstallerError::TooLarge(format!(
            "{count} entries; at most {limit} are accepted"
        )));
    }
    Ok(())
}

/// How many entries the end record (or the zip64 end record it defers to) says the archive
/// has, 0 when the bytes do not tell. The zip crate reads every record of the central
/// directory before it says how many there are, holding hundreds of bytes for each; this lets a
/// zip of far too many entries be refused first (APPNOTE 4.3.14 to 4.3.16). From a tail, zip64
/// records before it are asked for, so that the tail is judged as the whole would be (found by
/// fuzzing: a tail that could not see them took a zip the whole refused).
fn claimed_entries(bytes: &[u8], start: u64) -> Result<u64, TailError> {
    let get = |at: usize, len: usize| bytes.get(at..at.checked_add(len)?);
    let u16_at = |at: usize| get(at, 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u64_at = |at: usize| Some(u64::from_le_bytes(get(at, 8)?.try_into().ok()?));
    // Where the offset `at` of the file lies in `bytes` (past their end when it is past the
    // file's, on any platform), or a request for the bytes from it.
    let at_hand = |at: u64| match at.checked_sub(start) {
        Some(at) => Ok(usize::try_from(at).unwrap_or(usize::MAX)),
        None => Err(NeedsEarlier(at)),
    };
    let tail_from = bytes.len().saturating_sub(MAX_END_LEN);
    let Some(end) = bytes[tail_from..]
        .windows(END_SIGNATURE.len())
        .rposition(|w| w == END_SIGNATURE)
        .map(|at| tail_from + at)
    else {
        return Ok(0);
    };
    let count = u16_at(end + 10).unwrap_or(0);
    if count != u16::MAX {
        return Ok(u64::from(count));
    }
    let Some(locator) = (start + end as u64).checked_sub(20) else {
        return Ok(0);
    };
    let locator = at_hand(locator)?;
    if get(locator, 4) != Some(ZIP64_LOCATOR_SIGNATURE) {
        return Ok(0);
    }
    let Some(zip64_end) = u64_at(locator + 8) else {
        return Ok(0);
    };
    let zip64_end = at_hand(zip64_end)?;
    if get(zip64_end, 4) != Some(ZIP64_END_SIGNATURE) {
        return Ok(0);
    }
    Ok(u64_at(zip64_end + 32).unwrap_or(0))
}

/// An entry's packed bytes lie between its local header and the central directory.
fn check_packed_size(
    name: &[u8],
    header_start: u64,
    packed: u64,
    directory_start: u64,
) -> Result<(), BaseInstallerError> {
    if header_start.saturating_add(packed) > directory_start {
        return Err(BaseInstallerError::Corrupt(format!(
            "entry {:?} claims {packed} packed bytes, more than come before the central directory",
            String::from_utf8_lossy(name),
        )));
    }
    Ok(())
}

/// The raw central directory record, copied as it is so every attribute of the entry (mode,
/// link flag, extra fields, comment) survives.
fn central_record(bytes: &[u8], start: u64, at: u64) -> Result<Vec<u8>, TailError> {
    let corrupt = || {
        Failed(BaseInstallerError::Corrupt(
            "a central directory record is cut off".into(),
        ))
    };
    let at =
        usize::try_from(at.checked_sub(start).ok_or(NeedsEarlier(at))?).map_err(|_| corrupt())?;
    let fixed = bytes.get(at..at + CENTRAL_FIXED_LEN).ok_or_else(corrupt)?;
    if &fixed[..4] != CENTRAL_HEADER_SIGNATURE {
        return Err(corrupt());
    }
    let u16_at = |i: usize| u16::from_le_bytes([fixed[i], fixed[i + 1]]) as usize;
    let len = CENTRAL_FIXED_LEN + u16_at(28) + u16_at(30) + u16_at(32);
    bytes
        .get(at..at + len)
        .map(<[u8]>::to_vec)
        .ok_or_else(corrupt)
}

fn set_local_offset(record: &mut [u8], offset: u64) -> Result<(), TailError> {
    let current = u32::from_le_bytes(
        record[CENTRAL_LOCAL_OFFSET_AT..CENTRAL_LOCAL_OFFSET_AT + 4]
            .try_into()
            .expect("4 bytes"),
    );
    if current == u32::MAX || offset > ZIP32_MAX_OFFSET {
        return Err(Failed(BaseInstallerError::Unsupported(
            "zip64 archives (over 4 GiB) are not supported".into(),
        )));
    }
    record[CENTRAL_LOCAL_OFFSET_AT..CENTRAL_LOCAL_OFFSET_AT + 4]
        .copy_from_slice(&(offset as u32).to_le_bytes());
    Ok(())
}

/// Every entry must start with a local header before the central directory: a cheap check that
/// catches truncation and garbage without inflating. From a tail, the headers before it are
/// taken on trust (the whole archive, when at hand, checks them all).
fn check_local_headers(
    bytes: &[u8],
    start: u64,
    directory_start: u64,
    entries: &[Entry],
) -> Result<(), TailError> {
    for entry in entries {
        if entry.local_start >= directory_start {
            return Err(Failed(BaseInstallerError::Corrupt(
                "an entry starts after the central directory".into(),
            )));
        }
        if let Some(at) = entry.local_start.checked_sub(start) {
            let at = at as usize;
            if bytes.get(at..at + 4) != Some(LOCAL_HEADER_SIGNATURE) {
                return Err(Failed(BaseInstallerError::Corrupt(format!(
                    "no entry where the central directory puts one (byte {})",
                    entry.local_start
                ))));
            }
        }
    }
    Ok(())
}

/// Each kept entry must read the same once customized: its data has to end before the bytes
/// that change, the old vesselinfo taken out after it or the central directory (found by
/// fuzzing: an entry whose sizes or local header lengths claimed more ran into them).
/// `by_position` is in local header order. The local header's name and extra lengths place the
/// data; from a tail, a header before it is taken on trust to have its central record's.
fn check_extents(
    bytes: &[u8],
    start: u64,
    by_position: &[&Entry],
    directory_start: u64,
) -> Result<(), TailError> {
    let lengths_at = |record: &[u8], at: usize| {
        record.get(at..at + 4).map(|f| {
            u64::from(u16::from_le_bytes([f[0], f[1]]))
                + u64::from(u16::from_le_bytes([f[2], f[3]]))
        })
    };
    let mut changed_at = (directory_start, "the central directory");
    for entry in by_position.iter().rev() {
        if entry.is_vesselinfo {
            changed_at = (entry.local_start, "the vesselinfo entry that is replaced");
            continue;
        }
        let local = entry
            .local_start
            .checked_sub(start)
            .and_then(|at| bytes.get(at as usize..))
            .and_then(|header| lengths_at(header, 26));
        let lengths = local
            .or_else(|| lengths_at(&entry.central_record, 28))
            .unwrap_or(0);
        let end = entry
            .local_start
            .saturating_add(LOCAL_FIXED_LEN + lengths)
            .saturating_add(entry.compressed_size);
        if end > changed_at.0 {
            return Err(Failed(BaseInstallerError::Corrupt(format!(
                "the data of {:?} (its local header at byte {}) runs {} bytes into {}",
                entry.name,
                entry.local_start,
                end - changed_at.0,
                changed_at.1
            ))));
        }
    }
    Ok(())
}

/// vesselinfo's local header and data, and its central record: stored (every extractor reads
/// it), mode 0644, a fixed date for reproducible output. Its offset is set by the caller.
fn new_entry(vesselinfo: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let entry = StoredEntry::new(ARCHIVE_PATH, vesselinfo, 0o644, 0);
    (entry.local, entry.central)
}

/// The end of central directory record (APPNOTE 4.3.16), keeping the base's archive comment.
fn end_record(
    count: usize,
    directory_len: u64,
    directory_offset: u64,
    comment: &[u8],
) -> Result<Vec<u8>, TailError> {
    if count > ZIP32_MAX_ENTRIES || directory_offset + directory_len > ZIP32_MAX_OFFSET {
        return Err(Failed(BaseInstallerError::Unsupported(
            "zip64 archives are not supported".into(),
        )));
    }
    Ok(stored_zip::end_record(
        count as u16,
        directory_len as u32,
        directory_offset as u32,
        comment,
    ))
}

/// The last part of an archive, read as if it were the whole file: a read before `start`
/// fails and remembers where it was asked, so the caller can fetch from there.
struct Tail<'a> {
    bytes: &'a [u8],
    start: u64,
    position: u64,
    lowest_missing: Rc<Cell<Option<u64>>>,
}

impl Read for Tail<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.position < self.start {
            let lowest = self
                .lowest_missing
                .get()
                .map_or(self.position, |l| l.min(self.position));
            self.lowest_missing.set(Some(lowest));
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "before the bytes at hand",
            ));
        }
        let at = (self.position - self.start).min(self.bytes.len() as u64) as usize;
        let n = (&self.bytes[at..]).read(buf)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl Seek for Tail<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let end = self.start + self.bytes.len() as u64;
        let target = match to {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::End(delta) => end.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
        };
        self.position = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.position)
    }
}
