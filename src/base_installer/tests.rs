use super::*;
use crate::platform::ArchiveKind;
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use std::io::{Cursor, Read, Write};

const VESSELINFO: &[u8] = b"Percent 80\nOwner 3 55\nPercent 20\nOwner 5 77";

fn entry(path: &str, mode: u32, contents: &[u8]) -> TreeEntry {
    TreeEntry::file(path, mode, contents.to_vec())
}

fn tree() -> Vec<TreeEntry> {
    vec![
        entry("seattle/", 0o755, b""),
        entry("seattle/install.sh", 0o755, b"#!/bin/sh\necho install\n"),
        entry("seattle/seattle_repy/", 0o755, b""),
        entry(
            "seattle/seattle_repy/seattleinstaller.py",
            0o644,
            &b"print('hi')\n".repeat(300),
        ),
        entry(
            "seattle/seattle_repy/metainfo",
            0o644,
            b"signed list of files\n",
        ),
    ]
}

/// Every entry of an archive as (name, mode, is it a folder, bytes), read by the zip and tar crates.
fn entries(kind: ArchiveKind, bytes: &[u8]) -> Vec<(String, u32, bool, Vec<u8>)> {
    match kind {
        ArchiveKind::Zip => {
            let mut zip = ::zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
            (0..zip.len())
                .map(|i| {
                    let mut file = zip.by_index(i).unwrap();
                    let mut data = Vec::new();
                    file.read_to_end(&mut data).unwrap();
                    (
                        file.name().unwrap().to_string(),
                        file.unix_mode().unwrap() & 0o7777,
                        file.is_dir(),
                        data,
                    )
                })
                .collect()
        }
        ArchiveKind::TarGz => {
            let mut tar = tar::Archive::new(flate2::read::MultiGzDecoder::new(bytes));
            tar.entries()
                .unwrap()
                .map(|e| {
                    let mut e = e.unwrap();
                    let mut data = Vec::new();
                    e.read_to_end(&mut data).unwrap();
                    let header = e.header();
                    (
                        e.path().unwrap().to_string_lossy().into_owned(),
                        header.mode().unwrap(),
                        header.entry_type().is_dir(),
                        data,
                    )
                })
                .collect()
        }
    }
}

fn customized(base: &[u8]) -> (Customized, Vec<u8>) {
    let result = customize(base, VESSELINFO).unwrap();
    let bytes = result.pieces.to_vec(base).unwrap();
    assert_eq!(bytes.len() as u64, result.pieces.len());
    (result, bytes)
}

/// The customized archive is the base's entries, unchanged, plus one vesselinfo file.
fn assert_is_base_plus_vesselinfo(kind: ArchiveKind, base: &[u8], out: &[u8]) {
    let mut before = entries(kind, base);
    before.retain(|e| e.0.trim_start_matches("./") != crate::vesselinfo::ARCHIVE_PATH);
    let after = entries(kind, out);
    let (vesselinfo, rest): (Vec<_>, Vec<_>) = after
        .into_iter()
        .partition(|e| e.0 == crate::vesselinfo::ARCHIVE_PATH);
    assert_eq!(rest, before);
    assert_eq!(vesselinfo.len(), 1, "exactly one vesselinfo");
    assert_eq!(vesselinfo[0].1, 0o644);
    assert!(!vesselinfo[0].2);
    assert_eq!(vesselinfo[0].3, VESSELINFO);
}

#[test]
fn tar_gz_rewrites_only_the_last_member_of_a_packed_base() {
    let base = pack(ArchiveKind::TarGz, &tree()).unwrap();
    let (result, out) = customized(&base);
    assert_eq!(result.kind, ArchiveKind::TarGz);
    assert_is_base_plus_vesselinfo(ArchiveKind::TarGz, &base, &out);
    let Piece::Base(kept) = &result.pieces.as_slice()[0] else {
        panic!("starts with the base")
    };
    assert_eq!(kept.start, 0);
    assert!(
        kept.end as usize > base.len() - 64,
        "kept {kept:?} of {}",
        base.len()
    );
    assert_eq!(customized(&base).1, out, "reproducible");
}

#[test]
fn tar_gz_in_one_member_is_customized_too() {
    let packed = pack(ArchiveKind::TarGz, &tree()).unwrap();
    let mut tar = Vec::new();
    flate2::read::MultiGzDecoder::new(&packed[..])
        .read_to_end(&mut tar)
        .unwrap();
    let mut one = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    one.write_all(&tar).unwrap();
    let base = one.finish().unwrap();
    let (_, out) = customized(&base);
    assert_is_base_plus_vesselinfo(ArchiveKind::TarGz, &base, &out);
}

#[test]
fn relayout_keeps_every_entry_and_makes_customizing_rewrite_only_the_tail() {
    let packed = pack(ArchiveKind::TarGz, &tree()).unwrap();
    let mut tar = Vec::new();
    flate2::read::MultiGzDecoder::new(&packed[..])
        .read_to_end(&mut tar)
        .unwrap();
    let mut one = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    one.write_all(&tar).unwrap();
    let foreign = one.finish().unwrap();
    let relaid = relayout(&foreign).unwrap();
    assert_eq!(
        entries(ArchiveKind::TarGz, &relaid),
        entries(ArchiveKind::TarGz, &foreign)
    );
    let (result, _) = customized(&relaid);
    let Piece::Base(kept) = &result.pieces.as_slice()[0] else {
        panic!("starts with the base")
    };
    assert!(kept.end as usize > relaid.len() - 64);
    assert!(relayout(&pack(ArchiveKind::Zip, &tree()).unwrap()).is_err());
}

#[test]
fn an_existing_vesselinfo_is_replaced_not_doubled() {
    for kind in [ArchiveKind::TarGz, ArchiveKind::Zip] {
        let mut with_old = tree();
        with_old.insert(
            4,
            entry(
                "seattle/seattle_repy/vesselinfo",
                0o600,
                b"Percent 100\nOwner 1 2",
            ),
        );
        let base = pack(kind, &with_old).unwrap();
        let (_, out) = customized(&base);
        assert_is_base_plus_vesselinfo(kind, &base, &out);
        let (_, twice) = customized(&out);
        assert_is_base_plus_vesselinfo(kind, &base, &twice);
    }
}

#[test]
fn zip_entries_are_copied_raw_and_only_the_directory_is_new() {
    let base = pack(ArchiveKind::Zip, &tree()).unwrap();
    let (result, out) = customized(&base);
    assert_eq!(result.kind, ArchiveKind::Zip);
    assert_is_base_plus_vesselinfo(ArchiveKind::Zip, &base, &out);
    let directory = ::zip::ZipArchive::new(Cursor::new(&base))
        .unwrap()
        .central_directory_start();
    assert_eq!(result.pieces.as_slice()[0], Piece::Base(0..directory));
    assert_eq!(customized(&base).1, out, "reproducible");
}

#[test]
fn a_zip_can_be_customized_from_its_tail() {
    let mut big = tree();
    let mut noise = vec![0u8; 300_000];
    StdRng::seed_from_u64(7).fill_bytes(&mut noise);
    big.push(entry("seattle/seattle_repy/noise.bin", 0o644, &noise));
    let base = pack(ArchiveKind::Zip, &big).unwrap();
    let whole = customize(&base, VESSELINFO).unwrap();
    let mut start = zip_tail_start(base.len() as u64);
    assert!(start > 0);
    let mut asks = 0;
    let tail_result = loop {
        match customize_zip_tail(&base[start as usize..], start, VESSELINFO).unwrap() {
            TailOutcome::Customized(c) => break c,
            TailOutcome::NeedsBytesFrom(earlier) => {
                assert!(earlier < start);
                start = earlier;
                asks += 1;
                assert!(asks < 3);
            }
        }
    };
    assert_eq!(tail_result, whole);
}

#[test]
fn a_small_file_read_as_a_tail_is_judged_as_a_whole_file_is() {
    for (bytes, expected) in [
        (&b""[..], "empty file"),
        (b"hello, world", "neither a zip nor"),
    ] {
        let whole = customize(bytes, VESSELINFO).unwrap_err();
        let tail = customize_zip_tail(bytes, 0, VESSELINFO).unwrap_err();
        assert_eq!(tail, whole);
        assert!(tail.to_string().contains(expected), "{tail}");
    }
}

/// A tail that starts after a large entry needs nothing earlier.
#[test]
fn a_zip_tail_past_a_large_early_entry_asks_for_nothing_earlier() {
    let mut big = tree();
    let mut noise = vec![0u8; 300_000];
    StdRng::seed_from_u64(7).fill_bytes(&mut noise);
    big.insert(1, entry("seattle/noise.bin", 0o644, &noise));
    let base = pack(ArchiveKind::Zip, &big).unwrap();
    let start = zip_tail_start(base.len() as u64);
    assert!(start > 0);
    match customize_zip_tail(&base[start as usize..], start, VESSELINFO).unwrap() {
        TailOutcome::Customized(c) => assert_eq!(c, customize(&base, VESSELINFO).unwrap()),
        TailOutcome::NeedsBytesFrom(earlier) => panic!("asked for bytes from {earlier}"),
    }
}

fn assert_refused(base: &[u8], expected: &str) {
    let err = customize(base, VESSELINFO).unwrap_err().to_string();
    assert!(err.contains(expected), "expected {expected:?}, got {err:?}");
}

#[test]
fn refuses_what_is_not_a_good_base_installer() {
    assert_refused(b"", "empty file");
    assert_refused(b"hello, world", "neither a zip nor");
    let targz = pack(ArchiveKind::TarGz, &tree()).unwrap();
    assert_refused(&targz[..targz.len() / 2], "damaged or truncated");
    let mut bad_crc = targz.clone();
    let first_member_end = first_member_len(&targz);
    bad_crc[first_member_end - 8] ^= 1;
    assert_refused(&bad_crc, "damaged or truncated");
    let mut not_tar = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    not_tar
        .write_all(&b"just some text, not a tar at all".repeat(40))
        .unwrap();
    assert_refused(&not_tar.finish().unwrap(), "not a tar archive");
    let mut trailing = targz.clone();
    trailing.extend_from_slice(b"junk");
    assert_refused(&trailing, "unexpected data after the gzip stream");
    let zip = pack(ArchiveKind::Zip, &tree()).unwrap();
    assert_refused(&zip[..zip.len() - 30], "damaged or truncated");
    assert_refused(&zip[100..], "damaged or truncated");
    for kind in [ArchiveKind::TarGz, ArchiveKind::Zip] {
        let other = pack(
            kind,
            &[entry("other/", 0o755, b""), entry("other/a", 0o644, b"a")],
        )
        .unwrap();
        assert_refused(&other, "no seattle/seattle_repy/ folder");
    }
}

/// Found by fuzzing (fuzz/regressions/zip/): an entry whose data, by its central record, runs
/// into the entries after it would read differently once vesselinfo is taken out from under it.
#[test]
fn refuses_zip_entries_whose_data_overlaps_the_next() {
    let zip = pack(ArchiveKind::Zip, &tree()).unwrap();
    let directory = zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    let mut overlapping = zip.clone();
    // The first central record's compressed size (APPNOTE 4.3.12), now past the central
    // directory's start: the claimed size alone refuses it, before the extents are compared.
    overlapping[directory + 20..directory + 24].copy_from_slice(&1000u32.to_le_bytes());
    let refusal = "more than come before the central directory";
    assert_refused(&overlapping, refusal);
    let tail = zip_tail_start(overlapping.len() as u64) as usize;
    let err = customize_zip_tail(&overlapping[tail..], tail as u64, VESSELINFO).unwrap_err();
    assert!(err.to_string().contains(refusal), "{err}");
}

/// Found by fuzzing (fuzz/regressions/zip_tail/): from a tail, an entry whose local header is
/// missing was taken, while the whole zip was refused.
#[test]
fn a_tail_checks_the_local_headers_it_holds() {
    let mut zip = pack(ArchiveKind::Zip, &tree()).unwrap();
    let last = zip.windows(4).rposition(|w| w == b"PK\x03\x04").unwrap();
    zip[last] = b'X';
    let mut start = last as u64 - 1;
    let err = loop {
        match customize_zip_tail(&zip[start as usize..], start, VESSELINFO) {
            Ok(TailOutcome::NeedsBytesFrom(earlier)) => start = earlier,
            Ok(TailOutcome::Customized(_)) => panic!("a missing local header is taken"),
            Err(err) => break err.to_string(),
        }
    };
    assert!(
        err.contains(&format!(
            "no entry where the central directory puts one (byte {last})"
        )),
        "{err}"
    );
    assert_refused(&zip, "no entry where the central directory puts one");
}

/// Found by fuzzing (fuzz/regressions/zip_tail/): a tail that started after the zip64 locator
/// took a zip whose zip64 end record claims too many entries, which the whole refused.
#[test]
fn a_tail_asks_for_the_zip64_records_its_end_record_defers_to() {
    let mut zip64_end = b"PK\x06\x06".to_vec();
    zip64_end.extend_from_slice(&44u64.to_le_bytes());
    zip64_end.extend_from_slice(&[45, 3, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    zip64_end.extend_from_slice(&[0xFF; 16]); // entries on this disk and in all
    zip64_end.extend_from_slice(&[0; 16]); // the directory's size and offset
    let zip = pack(ArchiveKind::Zip, &tree()).unwrap();
    let end = zip.len() - 22;
    let mut locator = b"PK\x06\x07".to_vec();
    locator.extend_from_slice(&0u32.to_le_bytes());
    locator.extend_from_slice(&0u64.to_le_bytes()); // the zip64 end record: byte 0
    locator.extend_from_slice(&1u32.to_le_bytes());
    let mut base = [&zip64_end[..], &zip[..end], &locator, &zip[end..]].concat();
    let end = base.len() - 22;
    base[end + 8..end + 12].copy_from_slice(&[0xFF; 4]);

    let whole = customize(&base, VESSELINFO).unwrap_err();
    assert!(
        whole.to_string().contains("18446744073709551615 entries"),
        "{whole}"
    );
    let mut start = end as u64 - 4;
    let mut asked = Vec::new();
    let tail = loop {
        match customize_zip_tail(&base[start as usize..], start, VESSELINFO) {
            Ok(TailOutcome::NeedsBytesFrom(earlier)) => {
                asked.push(earlier);
                start = earlier;
            }
            Ok(TailOutcome::Customized(_)) => panic!("the tail took what the whole refused"),
            Err(err) => break err,
        }
    };
    assert_eq!(
        asked,
        [end as u64 - 20, 0],
        "the locator, then the zip64 end record"
    );
    assert_eq!(tail, whole);
}

/// Found by fuzzing (fuzz/regressions/zip/): a comment holding an end record was copied into
/// the customized zip, where readers took that record for the zip's end.
#[test]
fn refuses_a_zip_whose_comment_holds_an_end_record() {
    let mut zip = pack(ArchiveKind::Zip, &tree()).unwrap();
    let comment = b"PK\x05\x06 and more";
    let at = zip.len() - 2;
    zip[at..].copy_from_slice(&(comment.len() as u16).to_le_bytes());
    zip.extend_from_slice(comment);
    assert_refused(
        &zip,
        "comment holds another end-of-central-directory record",
    );
}

fn first_member_len(gz: &[u8]) -> usize {
    let mut decoder = flate2::bufread::GzDecoder::new(gz);
    std::io::copy(&mut decoder, &mut std::io::sink()).unwrap();
    gz.len() - decoder.into_inner().len()
}

#[test]
fn refuses_entries_that_leave_the_folder() {
    for evil in [
        "seattle/../../evil",
        "/etc/evil",
        "seattle/seattle_repy/../../../x",
    ] {
        let mut header = tar::Header::new_gnu();
        header.as_old_mut().name[..evil.len()].copy_from_slice(evil.as_bytes());
        header.set_size(1);
        header.set_mode(0o644);
        header.set_cksum();
        let mut tar = pack_tar(&tree());
        let mut evil_entry = header.as_bytes().to_vec();
        evil_entry.extend_from_slice(&[b'x'; 512]);
        tar.splice(0..0, evil_entry);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tar).unwrap();
        assert_refused(&gz.finish().unwrap(), "unsafe");

        let mut zip = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file(
            "seattle/seattle_repy/x",
            ::zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.start_file(evil, ::zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"x").unwrap();
        assert_refused(&zip.finish().unwrap().into_inner(), "unsafe");
    }
}

fn pack_tar(tree: &[TreeEntry]) -> Vec<u8> {
    let mut tar = Vec::new();
    flate2::read::MultiGzDecoder::new(&pack(ArchiveKind::TarGz, tree).unwrap()[..])
        .read_to_end(&mut tar)
        .unwrap();
    tar
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Damaged bases get an error or a valid result, never a panic.
    #[test]
    fn damaged_bases_never_panic(
        zip in any::<bool>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
    ) {
        let kind = if zip { ArchiveKind::Zip } else { ArchiveKind::TarGz };
        let mut base = pack(kind, &tree()).unwrap();
        for (at, byte) in flips {
            let i = at.index(base.len());
            base[i] = byte;
        }
        let _ = customize(&base, VESSELINFO);
        let cut = cut.index(base.len());
        let _ = customize(&base[..cut], VESSELINFO);
        let _ = customize_zip_tail(&base[cut..], cut as u64, VESSELINFO);
    }
}

#[test]
fn a_tar_gz_inflates_to_its_tar_and_damage_is_refused() {
    let base = pack(ArchiveKind::TarGz, &tree()).unwrap();
    let mut tar = Vec::new();
    flate2::read::MultiGzDecoder::new(&base[..])
        .read_to_end(&mut tar)
        .unwrap();
    assert_eq!(inflated_size(&base).unwrap(), tar.len() as u64);
    assert!(inflated_size(&base[..base.len() - 9]).is_err());
    let zip = pack(ArchiveKind::Zip, &tree()).unwrap();
    assert!(inflated_size(&zip).is_err());
}

mod reading;

#[test]
fn a_partial_reader_starts_a_tar_gz_at_its_first_byte_and_anything_else_at_its_zip_tail() {
    let size = 10_000_000;
    assert_eq!(reading_start(&[0x1f, 0x8b], size), (ArchiveKind::TarGz, 0));
    let tail = zip_tail_start(size);
    assert!(tail > 0 && tail < size, "{tail}");
    assert_eq!(reading_start(b"PK", size), (ArchiveKind::Zip, tail));
    assert_eq!(reading_start(b"", 0), (ArchiveKind::Zip, 0));
}
