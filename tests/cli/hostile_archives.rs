//! Small archives that claim or unpack to a lot, made at test time: the CLI's tests
//! (cli/tests/hostile.rs) and the worker's wasm tests (web/worker/tests/worker.rs) feed them to
//! the same core, so both sides meet the same inputs. Nothing here touches files, so it also
//! compiles for wasm32.

#![allow(dead_code)]

use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::{Cursor, Write};

const REPY: &str = "seattle/seattle_repy/";

fn gzip(level: u32, write: impl FnOnce(&mut GzEncoder<Vec<u8>>)) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::new(level));
    write(&mut encoder);
    encoder.finish().expect("writing to memory")
}

fn header(path: &str, kind: tar::EntryType, size: u64) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    header.set_path(path).expect("a short path");
    header.set_entry_type(kind);
    header.set_size(size);
    header.set_mode(if kind.is_dir() { 0o755 } else { 0o644 });
    header.set_cksum();
    header
}

/// The Seattle folders every hostile tar starts with, so it fails on what it is built to test.
fn seattle_folders() -> Vec<u8> {
    let mut tar = header("seattle/", tar::EntryType::Directory, 0)
        .as_bytes()
        .to_vec();
    tar.extend_from_slice(header(REPY, tar::EntryType::Directory, 0).as_bytes());
    tar
}

/// A pax extended header whose one record is `path=...`, `path_len` bytes of path.
fn pax_path(path: &str) -> Vec<u8> {
    let body_len = " path=\n".len() + path.len();
    // The record's length counts its own digits.
    let mut len = body_len + 1;
    while len.to_string().len() + body_len != len {
        len += 1;
    }
    let mut record = format!("{len} path=").into_bytes();
    record.extend_from_slice(path.as_bytes());
    record.push(b'\n');
    let mut entry = header("PaxHeader", tar::EntryType::XHeader, record.len() as u64)
        .as_bytes()
        .to_vec();
    entry.extend_from_slice(&record);
    entry.resize(entry.len().div_ceil(512) * 512, 0);
    entry
}

fn tar_end() -> [u8; 1024] {
    [0; 1024]
}

/// About 3 MB of gzip that unpacks to 3 GiB: one file's header claiming 3 GiB, then zeros.
pub fn gzip_bomb() -> Vec<u8> {
    file_then_zeros("seattle/seattle_repy/big", 3 << 30, 48)
}

/// About 2.6 MB of gzip that unpacks to 2.5 GiB, whose one file claims 1 GiB, within the limit:
/// only inflating tells that the whole goes past it.
pub fn gzip_bomb_within_claims() -> Vec<u8> {
    file_then_zeros("seattle/big", 1 << 30, 40)
}

/// A file's header claiming `claimed` bytes, then `members` gzip members of 64 MiB of zeros
/// (concatenated members are one stream to every reader).
fn file_then_zeros(path: &str, claimed: u64, members: usize) -> Vec<u8> {
    let mut tar = seattle_folders();
    tar.extend_from_slice(header(path, tar::EntryType::Regular, claimed).as_bytes());
    let mut bomb = gzip(9, |gz| gz.write_all(&tar).unwrap());
    let zeros = gzip(9, |gz| gz.write_all(&vec![0; 64 << 20]).unwrap());
    for _ in 0..members {
        bomb.extend_from_slice(&zeros);
    }
    bomb
}

/// A tar.gz of `count` empty files in the Seattle folder.
pub fn tar_entries(count: usize) -> Vec<u8> {
    gzip(1, |gz| {
        gz.write_all(&seattle_folders()).unwrap();
        for i in 0..count {
            let name = format!("{REPY}f{i}");
            gz.write_all(header(&name, tar::EntryType::Regular, 0).as_bytes())
                .unwrap();
        }
        gz.write_all(&tar_end()).unwrap();
    })
}

/// A zip of `count` empty stored files in the Seattle folder (zip64 past 65,535 entries).
pub fn zip_entries(count: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.add_directory(REPY, options).unwrap();
    for i in 0..count {
        zip.start_file(format!("{REPY}f{i}"), options).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A bare end record claiming 65,535 entries in a 2 GB central directory.
pub fn zip_claiming_a_huge_directory() -> Vec<u8> {
    let mut end = b"PK\x05\x06".to_vec();
    end.extend_from_slice(&[0, 0, 0, 0]);
    end.extend_from_slice(&u16::MAX.to_le_bytes());
    end.extend_from_slice(&u16::MAX.to_le_bytes());
    end.extend_from_slice(&0x7FFF_FFF0u32.to_le_bytes());
    end.extend_from_slice(&0u32.to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes());
    let mut zip = vec![0; 4096];
    zip[..4].copy_from_slice(b"PK\x03\x04");
    zip.extend_from_slice(&end);
    zip
}

/// A tar.gz whose file's path, given by a pax header, is `len` bytes long.
pub fn long_pax_path(len: usize) -> Vec<u8> {
    file_named(&format!("{REPY}{}", "a".repeat(len - REPY.len())))
}

/// A tar.gz with a file `levels` folders deep inside the Seattle folder.
pub fn deep_path(levels: usize) -> Vec<u8> {
    file_named(&format!("{REPY}{}f", "d/".repeat(levels)))
}

/// A tar.gz with one empty file named `path` by a pax header.
fn file_named(path: &str) -> Vec<u8> {
    gzip(6, |gz| {
        gz.write_all(&seattle_folders()).unwrap();
        gz.write_all(&pax_path(path)).unwrap();
        gz.write_all(header("placeholder", tar::EntryType::Regular, 0).as_bytes())
            .unwrap();
        gz.write_all(&tar_end()).unwrap();
    })
}

/// A tar.gz with a GNU sparse file claiming 1 TiB, of which one block is stored.
pub fn sparse_tib() -> Vec<u8> {
    let tib = 1u64 << 40;
    let mut sparse = tar::Header::new_gnu();
    sparse.set_path(format!("{REPY}sparse")).unwrap();
    sparse.set_entry_type(tar::EntryType::GNUSparse);
    sparse.set_size(512);
    sparse.set_mode(0o644);
    let gnu = sparse.as_gnu_mut().unwrap();
    gnu.set_real_size(tib);
    gnu.sparse[0].set_offset(tib - 512);
    gnu.sparse[0].set_length(512);
    sparse.set_cksum();
    gzip(6, |gz| {
        gz.write_all(&seattle_folders()).unwrap();
        gz.write_all(sparse.as_bytes()).unwrap();
        gz.write_all(&[b'x'; 512]).unwrap();
        gz.write_all(&tar_end()).unwrap();
    })
}

/// A zip64 whose one file in the Seattle folder says, in its zip64 fields, that it is 1 TiB
/// unpacked and larger packed than the whole archive; its real 5 bytes are stored.
pub fn zip64_lying_sizes() -> Vec<u8> {
    let name = format!("{REPY}nmmain.py");
    let data = b"hello";
    let crc = crc32(data);
    let lie = |real: usize| -> Vec<u8> {
        let mut extra = 1u16.to_le_bytes().to_vec();
        extra.extend_from_slice(&16u16.to_le_bytes());
        extra.extend_from_slice(&(1u64 << 40).to_le_bytes()); // unpacked
        extra.extend_from_slice(&(real as u64 + (1 << 30)).to_le_bytes()); // packed
        extra
    };
    let extra = lie(data.len());
    let mut zip = Vec::new();
    zip.extend_from_slice(b"PK\x03\x04");
    zip.extend_from_slice(&45u16.to_le_bytes()); // version needed: zip64
    zip.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]); // flags, stored, time, date
    zip.extend_from_slice(&crc.to_le_bytes());
    zip.extend_from_slice(&u32::MAX.to_le_bytes());
    zip.extend_from_slice(&u32::MAX.to_le_bytes());
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&(extra.len() as u16).to_le_bytes());
    zip.extend_from_slice(name.as_bytes());
    zip.extend_from_slice(&extra);
    zip.extend_from_slice(data);
    let directory_start = zip.len() as u32;
    zip.extend_from_slice(b"PK\x01\x02");
    zip.extend_from_slice(&(0x0300u16 | 45).to_le_bytes()); // made by: unix
    zip.extend_from_slice(&45u16.to_le_bytes());
    zip.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
    zip.extend_from_slice(&crc.to_le_bytes());
    zip.extend_from_slice(&u32::MAX.to_le_bytes());
    zip.extend_from_slice(&u32::MAX.to_le_bytes());
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&(extra.len() as u16).to_le_bytes());
    zip.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // comment length, disk, internal attributes
    zip.extend_from_slice(&(0o100644u32 << 16).to_le_bytes());
    zip.extend_from_slice(&0u32.to_le_bytes()); // local header at 0
    zip.extend_from_slice(name.as_bytes());
    zip.extend_from_slice(&extra);
    let directory_len = zip.len() as u32 - directory_start;
    zip.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
    zip.extend_from_slice(&directory_len.to_le_bytes());
    zip.extend_from_slice(&directory_start.to_le_bytes());
    zip.extend_from_slice(&[0, 0]);
    zip
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(data);
    crc.sum()
}

/// Every hostile archive's name, for tests that try each the same way.
pub const NAMES: [&str; 9] = [
    "bomb.tgz",
    "bomb-within-claims.tgz",
    "tar-entries.tgz",
    "zip-entries.zip",
    "huge-directory.zip",
    "pax-path.tgz",
    "deep-path.tgz",
    "sparse.tgz",
    "zip64-lying.zip",
];

/// The hostile archive called `name` (one of `NAMES`).
pub fn named(name: &str) -> Vec<u8> {
    match name {
        "bomb.tgz" => gzip_bomb(),
        "bomb-within-claims.tgz" => gzip_bomb_within_claims(),
        "tar-entries.tgz" => tar_entries(300_000),
        "zip-entries.zip" => zip_entries(300_000),
        "huge-directory.zip" => zip_claiming_a_huge_directory(),
        "pax-path.tgz" => long_pax_path(64 << 20),
        "deep-path.tgz" => deep_path(60_000),
        "sparse.tgz" => sparse_tib(),
        "zip64-lying.zip" => zip64_lying_sizes(),
        other => panic!("no hostile archive {other}"),
    }
}

/// What the core says of each archive of `all`, refusing it: every part appears in its message.
pub fn refusal(name: &str) -> &'static [&'static str] {
    match name {
        "bomb.tgz" => &["too large: entry \"seattle/seattle_repy/big\" would unpack to 3221225472"],
        "bomb-within-claims.tgz" => &["too large: it unpacks to more than 2147483648 bytes"],
        "tar-entries.tgz" => &["too large: more than 200000 entries"],
        "zip-entries.zip" => &["too large: 300001 entries; at most"],
        "huge-directory.zip" => &["damaged or truncated: not a readable zip"],
        "pax-path.tgz" => &["damaged or truncated", "headers go on past"],
        "deep-path.tgz" => &["unsafe: entry", "bytes long, longer than the 4096"],
        "sparse.tgz" => &["not supported: entry", "is a GNU sparse file"],
        "zip64-lying.zip" => &[
            "damaged or truncated: entry",
            "claims 1073741829 packed bytes",
        ],
        other => panic!("no expectation for {other}"),
    }
}
