//! Properties of base installers: any bytes are customized or refused with a reason, and a
//! customized installer, read back by the core AND by the zip / tar and flate2 crates, holds
//! the new vesselinfo and every other entry of the base unchanged.

use cib_core::base_installer::{
    customize, customize_zip_tail, repy_files, zip_tail_start, Customized, TailOutcome, TreeEntry,
};
use cib_core::vesselinfo::ARCHIVE_PATH;
use cib_core::ArchiveKind;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::{Cursor, Read, Write};

/// What every customizing writes: any bytes do, the archive formats care only for their size.
const VESSELINFO: &[u8] = b"Percent 80\nOwner 3 1234567\nPercent 20\nOwner 3 7654321";

pub fn zip(data: &[u8]) {
    customized(data);
}

/// The fuzzer mutates the tar rather than its gzip (whose CRC would refuse almost every
/// mutation): a first byte of 0 says the rest is a tar to gzip here; anything else, that the
/// rest is the base installer as it is.
pub fn tar_gz(data: &[u8]) {
    match data.split_first() {
        Some((0, tar)) => customized(&gzip(tar)),
        Some((_, base)) => customized(base),
        None => {}
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// Customizing from the zip's last part (as the page does, starting where its first two bytes
/// say, or where `zip_tail_start` says when they are 0) and going back as asked gives exactly
/// what customizing the whole zip gives.
pub fn zip_tail(data: &[u8]) {
    let Some((choice, base)) = data.split_first_chunk::<2>() else {
        return;
    };
    let len = base.len() as u64;
    let mut start = match u16::from_le_bytes(*choice) {
        0 => zip_tail_start(len),
        at => u64::from(at) % (len + 1),
    };
    let from_tail = loop {
        match customize_zip_tail(&base[start as usize..], start, VESSELINFO) {
            Ok(TailOutcome::NeedsBytesFrom(earlier)) => {
                assert!(
                    earlier < start,
                    "asked for {earlier} with {start} already given"
                );
                start = earlier;
            }
            Ok(TailOutcome::Customized(customized)) => break Ok(customized),
            Err(error) => break Err(error),
        }
    };
    // The same zip reader from byte 0 (`customize` would first tell the archive type from the
    // bytes, and a zip may well start like a gzip).
    let whole = match customize_zip_tail(base, 0, VESSELINFO) {
        Ok(TailOutcome::Customized(customized)) => Ok(customized),
        Ok(TailOutcome::NeedsBytesFrom(at)) => panic!("the whole zip asks for bytes from {at}"),
        Err(error) => Err(error),
    };
    // The checks a tail cannot make exactly: on the local headers before it, which it never
    // sees (it takes them to be what their central records say). Either side's refusal then
    // names the header's place.
    let refusal = match (&from_tail, &whole) {
        (Ok(_), Err(e)) | (Err(e), Ok(_)) => Some(e.to_string()),
        _ => None,
    };
    let before_tail = refusal
        .as_deref()
        .and_then(|e| e.rsplit_once("byte "))
        .and_then(|(_, at)| {
            let digits: String = at.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u64>().ok()
        });
    if before_tail.is_some_and(|at| at < start) {
        return;
    }
    match (&from_tail, &whole) {
        (Ok(tail), Ok(whole)) => assert_eq!(tail, whole),
        (Ok(tail), Err(e)) => panic!(
            "the tail customizes ({} bytes), the whole not: {e}",
            tail.pieces.len()
        ),
        (Err(e), Ok(_)) => panic!("the whole customizes, the tail not: {e}"),
        (Err(e), Err(_)) => assert!(!e.to_string().is_empty()),
    }
    if let Ok(customized) = from_tail {
        read_back(base, &customized);
    }
}

/// Customize any bytes; a refusal says why, a success reads back right.
fn customized(base: &[u8]) {
    match customize(base, VESSELINFO) {
        Err(error) => assert!(!error.to_string().is_empty()),
        Ok(customized) => read_back(base, &customized),
    }
}

fn read_back(base: &[u8], customized: &Customized) {
    let out = customized
        .pieces
        .to_vec(base)
        .expect("the pieces lie within the base");
    assert_eq!(out.len() as u64, customized.pieces.len());
    let (before, after) = match customized.kind {
        ArchiveKind::Zip => (zip_entries(base, false), zip_entries(&out, true)),
        ArchiveKind::TarGz => (tar_entries(base), tar_entries(&out)),
    };
    let before = before.unwrap_or_else(|e| panic!("the core took a base the crate refuses: {e}"));
    let after = after.unwrap_or_else(|e| panic!("the customized installer does not read: {e}"));
    kept_and_added(&before, &after);
    same_repy_files(base, &out);
}

/// An entry as the zip or tar crate reads it: its name, what it is, and its bytes (raw for a
/// zip, as stored, since the core never inflates them).
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    name: Vec<u8>,
    kind: String,
    data: Vec<u8>,
}

/// The customized archive holds the base's entries in order, less its vesselinfo, then the new
/// vesselinfo.
fn kept_and_added(before: &[Entry], after: &[Entry]) {
    let (added, kept) = after.split_last().expect("the customized archive is empty");
    assert_eq!(added.name, ARCHIVE_PATH.as_bytes());
    assert_eq!(added.data, VESSELINFO, "the new vesselinfo's contents");
    let mut base = before.iter();
    for entry in kept {
        loop {
            let old = base
                .next()
                .unwrap_or_else(|| panic!("{entry:?} is not in the base"));
            if old == entry {
                break;
            }
            assert!(
                is_vesselinfo(&old.name),
                "the base's {old:?} is left out; the customized installer has {entry:?}"
            );
        }
    }
    for old in base {
        assert!(
            is_vesselinfo(&old.name),
            "the base's {:?} is left out",
            String::from_utf8_lossy(&old.name)
        );
    }
}

/// The names the core takes for vesselinfo (a `./` before it, or a doubled `/`, are the same
/// path).
fn is_vesselinfo(name: &[u8]) -> bool {
    let name = String::from_utf8_lossy(name);
    let parts: Vec<&str> = name
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    parts.join("/") == ARCHIVE_PATH
}

/// With `inflate_last`, the last entry's bytes are its contents (the new vesselinfo's).
fn zip_entries(bytes: &[u8], inflate_last: bool) -> Result<Vec<Entry>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index_raw(i).map_err(|e| e.to_string())?;
        let kind = format!(
            "{:?} {:?} crc {:08x} size {} mode {:?}",
            file.compression(),
            file.is_dir(),
            file.crc32(),
            file.size(),
            file.unix_mode()
        );
        let mut data = Vec::new();
        file.read_to_end(&mut data).map_err(|e| e.to_string())?;
        entries.push(Entry {
            name: file.name_raw().to_vec(),
            kind,
            data,
        });
    }
    let count = entries.len();
    if let Some(last) = entries.last_mut().filter(|_| inflate_last) {
        {
            let mut file = archive.by_index(count - 1).map_err(|e| e.to_string())?;
            last.data.clear();
            file.read_to_end(&mut last.data)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(entries)
}

fn tar_entries(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    let mut archive = tar::Archive::new(MultiGzDecoder::new(bytes));
    let mut entries = Vec::new();
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let mut entry = entry.map_err(|e| e.to_string())?;
        let header = entry.header();
        let kind = format!(
            "{:?} mode {:?} mtime {:?} link {:?}",
            header.entry_type(),
            header.mode().ok(),
            header.mtime().ok(),
            entry.link_name_bytes()
        );
        let name = entry.path_bytes().into_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).map_err(|e| e.to_string())?;
        entries.push(Entry { name, kind, data });
    }
    Ok(entries)
}

/// The core's own reader sees the same Seattle folder, with the new vesselinfo in it.
fn same_repy_files(base: &[u8], out: &[u8]) {
    let Ok(before) = repy_files(base) else {
        return;
    };
    let after = repy_files(out).unwrap_or_else(|e| panic!("the core cannot read back: {e}"));
    let others = |files: Vec<TreeEntry>| -> Vec<TreeEntry> {
        files
            .into_iter()
            .filter(|f| f.path != ARCHIVE_PATH)
            .collect()
    };
    let vesselinfo: Vec<&TreeEntry> = after.iter().filter(|f| f.path == ARCHIVE_PATH).collect();
    assert_eq!(vesselinfo.len(), 1, "one vesselinfo");
    assert_eq!(vesselinfo[0].contents, VESSELINFO);
    assert_eq!(others(before), others(after));
}
