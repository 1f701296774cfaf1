//! Reading an installer's vesselinfo and metainfo back.

use super::*;

const METAINFO: &[u8] = b"signed list of files\n";

#[test]
fn reads_vesselinfo_and_metainfo_back_from_both_kinds() {
    for kind in [ArchiveKind::TarGz, ArchiveKind::Zip] {
        let base = pack(kind, &tree()).unwrap();
        let files = installer_files(&base).unwrap();
        assert_eq!(files.vesselinfo, None, "{kind:?}");
        assert_eq!(files.metainfo.as_deref(), Some(METAINFO), "{kind:?}");
        let (_, customized) = customized(&base);
        let files = installer_files(&customized).unwrap();
        assert_eq!(files.vesselinfo.as_deref(), Some(VESSELINFO), "{kind:?}");
        assert_eq!(files.metainfo.as_deref(), Some(METAINFO), "{kind:?}");
        let mut bare = tree();
        bare.retain(|e| !e.path.ends_with("metainfo"));
        let files = installer_files(&pack(kind, &bare).unwrap()).unwrap();
        assert_eq!(files, InstallerFiles::default(), "{kind:?}");
    }
}

#[test]
fn of_two_entries_with_one_name_the_last_is_read_as_extracting_keeps_it() {
    let mut tar =
        tar_gz::tar_entry(REPY_FOLDER, ::tar::EntryType::Directory, 0o755, 0, b"").unwrap();
    for (path, data) in [
        ("seattle/seattle_repy/vesselinfo", &b"first"[..]),
        ("./seattle/seattle_repy/vesselinfo", b"second"),
    ] {
        tar.extend(tar_gz::tar_entry(path, ::tar::EntryType::Regular, 0o644, 0, data).unwrap());
    }
    tar.extend(tar_gz::tar_end(tar.len() as u64));
    let files = installer_files(&tar_gz::gzip(&tar)).unwrap();
    assert_eq!(files.vesselinfo.as_deref(), Some(&b"second"[..]));
}

#[test]
fn a_zip_is_read_from_its_tail_asking_for_the_entries_before_it() {
    let mut big = tree();
    let mut noise = vec![0u8; 300_000];
    StdRng::seed_from_u64(7).fill_bytes(&mut noise);
    // metainfo, last in the tree, comes after the noise, so the central directory and it fit
    // in a tail; vesselinfo goes last when customized.
    big.insert(2, entry("seattle/seattle_repy/noise.bin", 0o644, &noise));
    let (_, out) = customized(&pack(ArchiveKind::Zip, &big).unwrap());
    let whole = installer_files(&out).unwrap();
    let start = zip_tail_start(out.len() as u64);
    assert!(start > 0);
    match installer_files_from_zip_tail(&out[start as usize..], start).unwrap() {
        TailRead::Read(files) => assert_eq!(files, whole),
        TailRead::NeedsBytesFrom(earlier) => panic!("asked for bytes from {earlier}"),
    }
    // With metainfo before the noise, its bytes are asked for, then read.
    let noise = big.remove(2);
    big.push(noise);
    let (_, out) = customized(&pack(ArchiveKind::Zip, &big).unwrap());
    let mut start = zip_tail_start(out.len() as u64);
    let mut asks = 0;
    let files = loop {
        match installer_files_from_zip_tail(&out[start as usize..], start).unwrap() {
            TailRead::Read(files) => break files,
            TailRead::NeedsBytesFrom(earlier) => {
                assert!(earlier < start);
                start = earlier;
                asks += 1;
                assert!(asks < 3);
            }
        }
    };
    assert_eq!(asks, 1);
    assert_eq!(files, installer_files(&out).unwrap());
    assert_eq!(files.metainfo.as_deref(), Some(METAINFO));
}

#[test]
fn the_seattle_folder_of_a_zip_is_read_from_its_tail_from_its_first_file_on() {
    let mut big = tree();
    let mut noise = vec![0u8; 1_000_000];
    StdRng::seed_from_u64(9).fill_bytes(&mut noise);
    // Noise outside the Seattle folder, first: a tail from the folder's first file on is enough.
    big.insert(0, entry("seattle/python/noise.bin", 0o644, &noise));
    let (_, out) = customized(&pack(ArchiveKind::Zip, &big).unwrap());
    let whole = repy_files(&out).unwrap();
    assert!(whole.iter().any(|e| e.path.ends_with("vesselinfo")));
    let mut start = zip_tail_start(out.len() as u64);
    let mut asks: Vec<u64> = Vec::new();
    let files = loop {
        match repy_files_from_zip_tail(&out[start as usize..], start).unwrap() {
            TailRead::Read(files) => break files,
            TailRead::NeedsBytesFrom(earlier) => {
                assert!(earlier < start, "{earlier} from a tail at {start}");
                start = earlier;
                asks.push(earlier);
                assert!(asks.len() < 4, "{asks:?}");
            }
        }
    };
    assert_eq!(files, whole);
    // The noise before the folder was never asked for: the first tail was enough.
    assert!(asks.is_empty(), "asked for {asks:?} of {}", out.len());
    assert!(
        out.len() - start as usize <= 200_000,
        "{start} of {}",
        out.len()
    );

    // Inside the folder, the noise is needed, and so asked for.
    big[0].path = "seattle/seattle_repy/noise.bin".into();
    let (_, out) = customized(&pack(ArchiveKind::Zip, &big).unwrap());
    let start = zip_tail_start(out.len() as u64);
    match repy_files_from_zip_tail(&out[start as usize..], start).unwrap() {
        TailRead::NeedsBytesFrom(earlier) => assert!(earlier < 1000, "{earlier}"),
        TailRead::Read(_) => panic!("read without the noise"),
    }
    assert_eq!(
        repy_files_from_zip_tail(&out, 0).unwrap(),
        TailRead::Read(repy_files(&out).unwrap())
    );
}

#[test]
fn what_customizing_refuses_reading_refuses_with_the_same_message() {
    let targz = pack(ArchiveKind::TarGz, &tree()).unwrap();
    let zip = pack(ArchiveKind::Zip, &tree()).unwrap();
    let mut zip_comment = zip.clone();
    let comment = b"PK\x05\x06 inside";
    let at = zip_comment.len() - 2;
    zip_comment[at..].copy_from_slice(&(comment.len() as u16).to_le_bytes());
    zip_comment.extend_from_slice(comment);
    let other = pack(ArchiveKind::Zip, &[entry("other/a", 0o644, b"a")]).unwrap();
    let cases: [&[u8]; 7] = [
        b"",
        b"hello, world",
        &targz[..targz.len() / 2],
        &zip[..zip.len() - 30],
        &zip[100..],
        &zip_comment,
        &other,
    ];
    for bytes in cases {
        let read = installer_files(bytes).unwrap_err();
        assert_eq!(read, customize(bytes, VESSELINFO).unwrap_err());
        if bytes.len() < 20 {
            assert_eq!(installer_files_from_zip_tail(bytes, 0).unwrap_err(), read);
        }
    }
}
