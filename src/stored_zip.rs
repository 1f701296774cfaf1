//! Writing zip entries that are stored (not compressed): vesselinfo added to a zip base
//! installer, and the key downloads. These are a few small text files, and a stored entry is a
//! fixed header, the bytes and their CRC-32 (APPNOTE 4.3.7 and 4.3.12), so the page's module
//! carries this instead of the zip crate's writer and a deflater. Reading zips, where the
//! hostile input is, stays with the zip crate.

/// The local header and data, and the central directory record, of one entry.
pub(crate) struct StoredEntry {
    pub local: Vec<u8>,
    pub central: Vec<u8>,
}

const LOCAL_SIGNATURE: &[u8] = b"PK\x03\x04";
const CENTRAL_SIGNATURE: &[u8] = b"PK\x01\x02";
/// 1.0: stored entries need nothing newer.
const VERSION_NEEDED: u16 = 10;
/// Made by Unix (3, so extractors apply the mode), zip 2.0.
const VERSION_MADE_BY: u16 = (3 << 8) | 20;
/// General purpose flag bit 11: the name is UTF-8.
const UTF8_NAME: u16 = 1 << 11;
/// MS-DOS time 00:00:00 and date 1980-01-01, the earliest a zip can say: the same files give
/// the same bytes whenever they are written.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;
/// The Unix file type of a regular file, above the permission bits.
const REGULAR_FILE: u32 = 0o100000;

impl StoredEntry {
    /// An entry named `name` (at most 65,535 bytes) holding `data` (under 4 GiB), readable with
    /// Unix permissions `mode`, whose local header will sit at `local_offset`.
    pub fn new(name: &str, data: &[u8], mode: u32, local_offset: u32) -> StoredEntry {
        let flags = if name.is_ascii() { 0 } else { UTF8_NAME };
        let size = (data.len() as u32).to_le_bytes();
        let mut common = Vec::with_capacity(26);
        common.extend_from_slice(&VERSION_NEEDED.to_le_bytes());
        common.extend_from_slice(&flags.to_le_bytes());
        common.extend_from_slice(&[0, 0]); // stored
        common.extend_from_slice(&DOS_TIME.to_le_bytes());
        common.extend_from_slice(&DOS_DATE.to_le_bytes());
        common.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
        common.extend_from_slice(&size); // compressed
        common.extend_from_slice(&size); // uncompressed
        common.extend_from_slice(&(name.len() as u16).to_le_bytes());
        common.extend_from_slice(&[0, 0]); // no extra field

        let mut local = Vec::with_capacity(30 + name.len() + data.len());
        local.extend_from_slice(LOCAL_SIGNATURE);
        local.extend_from_slice(&common);
        local.extend_from_slice(name.as_bytes());
        local.extend_from_slice(data);

        let mut central = Vec::with_capacity(46 + name.len());
        central.extend_from_slice(CENTRAL_SIGNATURE);
        central.extend_from_slice(&VERSION_MADE_BY.to_le_bytes());
        central.extend_from_slice(&common);
        central.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // no comment, disk 0, no internal attributes
        central.extend_from_slice(&((REGULAR_FILE | mode) << 16).to_le_bytes());
        central.extend_from_slice(&local_offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
        StoredEntry { local, central }
    }
}

/// A whole zip of stored files, in the order given.
pub(crate) fn zip_of(files: impl IntoIterator<Item = (String, String)>, mode: u32) -> Vec<u8> {
    let mut zip = Vec::new();
    let mut directory = Vec::new();
    let mut count = 0u16;
    for (name, text) in files {
        let entry = StoredEntry::new(&name, text.as_bytes(), mode, zip.len() as u32);
        zip.extend_from_slice(&entry.local);
        directory.extend_from_slice(&entry.central);
        count += 1;
    }
    let end = end_record(count, directory.len() as u32, zip.len() as u32, &[]);
    zip.extend_from_slice(&directory);
    zip.extend_from_slice(&end);
    zip
}

/// The end of central directory record (APPNOTE 4.3.16) of a zip32 archive on one disk.
pub(crate) fn end_record(
    count: u16,
    directory_len: u32,
    directory_offset: u32,
    comment: &[u8],
) -> Vec<u8> {
    let mut end = Vec::with_capacity(22 + comment.len());
    end.extend_from_slice(b"PK\x05\x06");
    end.extend_from_slice(&[0, 0, 0, 0]); // this disk, the directory's disk
    end.extend_from_slice(&count.to_le_bytes()); // entries on this disk
    end.extend_from_slice(&count.to_le_bytes()); // entries in all
    end.extend_from_slice(&directory_len.to_le_bytes());
    end.extend_from_slice(&directory_offset.to_le_bytes());
    end.extend_from_slice(&(comment.len() as u16).to_le_bytes());
    end.extend_from_slice(comment);
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    /// What the zip crate reads back: names, bytes (its CRC check passes), modes, the method.
    #[test]
    fn the_zip_crate_reads_what_is_written() {
        let files = [
            ("a/one.txt".to_string(), "first".to_string()),
            ("a/zwei-ü.txt".to_string(), String::new()),
            ("b".to_string(), "x".repeat(70_000)),
        ];
        let bytes = zip_of(files.clone(), 0o600);
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 3);
        for (i, (name, text)) in files.iter().enumerate() {
            let mut file = archive.by_index(i).unwrap();
            assert_eq!(file.name().unwrap(), name.as_str());
            assert_eq!(file.compression(), zip::CompressionMethod::Stored);
            assert_eq!(file.unix_mode(), Some(0o100600));
            assert!(file.is_file());
            let mut read = String::new();
            file.read_to_string(&mut read).unwrap();
            assert_eq!(&read, text);
        }
    }

    #[test]
    fn a_wrong_crc_would_be_caught() {
        let mut bytes = zip_of([("f".to_string(), "data".to_string())], 0o644);
        let data_at = 30 + 1;
        bytes[data_at] ^= 1;
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut read = Vec::new();
        assert!(archive.by_index(0).unwrap().read_to_end(&mut read).is_err());
    }
}
