//! Foreign tar.gz base installers (one or many gzip members, any level, stored blocks, old
//! vesselinfo anywhere): each result is checked by GNU tar and gzip, and the compressed bytes
//! kept from the base are checked to be most of it.

use super::{customize, tar_end, tar_entry};
use crate::base_installer::{relayout, BaseInstallerError, Piece, Pieces};
use crate::vesselinfo::ARCHIVE_PATH;
use flate2::{Compress, Compression, FlushCompress};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use std::io::Write;
use std::process::{Command, Stdio};

const VESSELINFO: &[u8] = b"Percent 80\nOwner 3 55\nPercent 20\nOwner 5 77";

/// A Seattle-like tree as raw tar entries: folders, Python-like text and some random bytes.
fn entries(seed: u64, files: usize, old_vesselinfo_at: Option<usize>) -> Vec<Vec<u8>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let words = [
        "def", "vessel", "return", "self", "node", "(", ")", ":", "\n", "    ",
    ];
    let entry =
        |path: &str, kind, data: &[u8]| tar_entry(path, kind, 0o644, 1_700_000_000, data).unwrap();
    let mut tar = vec![
        entry("seattle/", tar::EntryType::Directory, b""),
        entry("seattle/seattle_repy/", tar::EntryType::Directory, b""),
    ];
    for i in 0..files {
        if old_vesselinfo_at == Some(i) {
            tar.push(entry(
                ARCHIVE_PATH,
                tar::EntryType::Regular,
                b"Percent 100\nOwner 1 2",
            ));
        }
        let len = rng.gen_range(0..40_000);
        let data: Vec<u8> = if rng.gen_ratio(1, 6) {
            let mut noise = vec![0; len];
            rng.fill_bytes(&mut noise);
            noise
        } else {
            (0..len / 4)
                .flat_map(|_| words[rng.gen_range(0..words.len())].bytes())
                .collect()
        };
        let path = format!("seattle/seattle_repy/file_{i:04}.py");
        tar.push(entry(&path, tar::EntryType::Regular, &data));
    }
    tar
}

fn tar_of(entries: &[Vec<u8>]) -> Vec<u8> {
    let mut tar = entries.concat();
    tar.extend_from_slice(&tar_end(tar.len() as u64));
    tar
}

/// One gzip member per part of `tar` (cut at `cuts`), at `level`, as other tools make them.
fn gzip_members(tar: &[u8], level: u32, cuts: &[usize]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut from = 0;
    for &to in cuts.iter().chain([&tar.len()]) {
        let mut member = flate2::write::GzEncoder::new(Vec::new(), Compression::new(level));
        member.write_all(&tar[from..to]).unwrap();
        out.extend_from_slice(&member.finish().unwrap());
        from = to;
    }
    out
}

fn tool(program: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// GNU tar lists and extracts the same entries from both, vesselinfo aside; gzip finds the
/// output sound; the output has one vesselinfo, the new one.
fn assert_same_under_gnu_tar(base: &[u8], out: &[u8]) {
    tool("gzip", &["-t"], out);
    let exclude = format!("--exclude={ARCHIVE_PATH}");
    for args in [["-tvzf", "-", &exclude], ["-xzOf", "-", &exclude]] {
        assert!(
            tool("tar", &args, out) == tool("tar", &args, base),
            "tar {args:?}"
        );
    }
    let names = String::from_utf8(tool("tar", &["-tzf", "-"], out)).unwrap();
    assert_eq!(names.lines().filter(|n| *n == ARCHIVE_PATH).count(), 1);
    assert_eq!(tool("tar", &["-xzOf", "-", ARCHIVE_PATH], out), VESSELINFO);
}

/// The base bytes kept at the start of the output, and the new bytes after them.
fn kept_and_new(pieces: &Pieces) -> (u64, usize) {
    match pieces.as_slice() {
        [Piece::Base(kept), Piece::New(new)] => {
            assert_eq!(kept.start, 0);
            (kept.end, new.len())
        }
        [Piece::New(new)] => (0, new.len()),
        other => panic!("pieces {other:?}"),
    }
}

fn customized(base: &[u8]) -> (Vec<u8>, u64, usize) {
    let pieces = customize(base, VESSELINFO).unwrap();
    let out = pieces.to_vec(base).unwrap();
    assert_eq!(customize(base, VESSELINFO).unwrap(), pieces, "reproducible");
    let (kept, new) = kept_and_new(&pieces);
    (out, kept, new)
}

#[test]
fn a_foreign_single_member_is_kept_up_to_its_last_block() {
    let tar = tar_of(&entries(1, 120, None));
    for level in 0..=9 {
        let base = gzip_members(&tar, level, &[]);
        let (out, kept, new) = customized(&base);
        assert_same_under_gnu_tar(&base, &out);
        if level == 1 {
            // zlib-rs (like zlib-ng) writes its level 1 as one deflate block: no place to cut.
            assert_eq!(kept, 10);
            continue;
        }
        // What is compressed again is the last block or so, not the archive.
        assert!(
            new < base.len() / 8 && kept as usize > base.len() * 7 / 8,
            "level {level}: kept {kept} of {}, {new} new bytes",
            base.len()
        );
    }
}

#[test]
fn multi_member_bases_are_kept_up_to_the_last_boundary_before_the_end() {
    let tar = tar_of(&entries(2, 80, None));
    let third = tar.len() / 3;
    for cuts in [
        vec![third, 2 * third],
        vec![third + 7, tar.len() - 1024],
        vec![1],
    ] {
        let base = gzip_members(&tar, 6, &cuts);
        let (out, kept, _) = customized(&base);
        assert_same_under_gnu_tar(&base, &out);
        assert!(
            kept as usize > base.len() * 3 / 4,
            "cuts {cuts:?}: kept {kept}"
        );
    }
}

/// A block (or a whole member) that ends exactly where the end-of-archive blocks start: all of
/// it is kept, and only the new entry and the end are compressed.
#[test]
fn a_block_ending_exactly_at_the_change_is_kept_whole() {
    let entries = entries(3, 60, None).concat();
    let tar = tar_of(std::slice::from_ref(&entries));
    let mut deflate = Compress::new(Compression::new(9), false);
    let mut raw = Vec::with_capacity(tar.len() + 1024);
    deflate
        .compress_vec(&entries, &mut raw, FlushCompress::Sync)
        .unwrap();
    let at_the_end = raw.len();
    deflate
        .compress_vec(&tar[entries.len()..], &mut raw, FlushCompress::Finish)
        .unwrap();
    let mut base = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    base.extend_from_slice(&raw);
    base.extend_from_slice(&crc32fast::hash(&tar).to_le_bytes());
    base.extend_from_slice(&(tar.len() as u32).to_le_bytes());
    let (out, kept, new) = customized(&base);
    assert_same_under_gnu_tar(&base, &out);
    // The sync flush ends with an empty stored block; the cut is before or after it.
    assert!(
        kept as usize >= 10 + at_the_end - 6,
        "kept {kept} of {}",
        base.len()
    );
    assert!(new < 400, "{new} new bytes");

    let two_members = gzip_members(&tar, 9, &[entries.len()]);
    let (out, kept, _) = customized(&two_members);
    assert_same_under_gnu_tar(&two_members, &out);
    assert_eq!(kept as usize, gzip_members(&entries, 9, &[]).len());
}

/// Some writers stop after the last entry, with no end-of-archive blocks: then the whole base is
/// kept and a new member holds vesselinfo and the end.
#[test]
fn a_tar_without_end_blocks_is_kept_whole() {
    let entries = entries(8, 20, None).concat();
    for cuts in [vec![], vec![entries.len() / 2]] {
        let base = gzip_members(&entries, 6, &cuts);
        let (out, kept, _) = customized(&base);
        assert_eq!(kept as usize, base.len());
        assert_same_under_gnu_tar(&base, &out);
    }
}

#[test]
fn an_old_vesselinfo_is_removed_and_the_cut_is_before_it() {
    let with_old = tar_of(&entries(4, 60, Some(30)));
    let base = gzip_members(&with_old, 6, &[]);
    let (out, kept, _) = customized(&base);
    assert_same_under_gnu_tar(&base, &out);
    assert!((kept as usize) < base.len() * 3 / 4);
    let (twice, _, _) = customized(&out);
    assert_same_under_gnu_tar(&base, &twice);
    let first = tar_of(&entries(4, 10, Some(0)));
    let base = gzip_members(&first, 1, &[]);
    let (out, _, _) = customized(&base);
    assert_same_under_gnu_tar(&base, &out);
}

#[test]
fn relayout_reads_a_foreign_base_as_a_stream_too() {
    let tar = tar_of(&entries(5, 40, None));
    let base = gzip_members(&tar, 2, &[tar.len() / 2]);
    let relaid = relayout(&base).unwrap();
    assert_eq!(tool("gzip", &["-cd"], &relaid), tar);
    let pieces = customize(&relaid, VESSELINFO).unwrap();
    let (kept, new) = kept_and_new(&pieces);
    assert!(kept as usize > relaid.len() - 64 && new < 200);
}

#[test]
fn truncated_and_corrupted_foreign_bases_are_refused() {
    let tar = tar_of(&entries(6, 30, None));
    let second_member = gzip_members(&tar[..tar.len() / 2], 0, &[]).len();
    let bases = [
        (gzip_members(&tar, 6, &[]), None),
        (gzip_members(&tar, 0, &[tar.len() / 2]), Some(second_member)),
    ];
    for (base, second_member) in bases {
        for cut in (1..8).map(|i| base.len() * i / 8).chain([base.len() - 1]) {
            let err = customize(&base[..cut], VESSELINFO).unwrap_err();
            assert!(
                matches!(err, BaseInstallerError::Corrupt(_)),
                "cut {cut}: {err}"
            );
        }
        // Any changed byte of the deflate data or the trailer (the last data byte aside, whose
        // spare bits mean nothing, and the date and system bytes of member headers).
        let in_a_header = |at: usize| second_member.is_some_and(|m| (m..m + 10).contains(&at));
        let places = (12..base.len() - 9).step_by(base.len() / 13);
        for at in places
            .filter(|&at| !in_a_header(at))
            .chain([base.len() - 3])
        {
            let mut bad = base.clone();
            bad[at] ^= 0x10;
            let err = customize(&bad, VESSELINFO).unwrap_err();
            assert!(
                matches!(err, BaseInstallerError::Corrupt(_)),
                "byte {at}: {err}"
            );
        }
    }
}

#[test]
fn a_gzip_bomb_is_refused_without_holding_what_it_unpacks_to() {
    // 64 MiB of zeros per member; 40 members are 2.5 GiB, over the limit, behind a tar header
    // announcing a file within it (one claiming more is refused from its header, see
    // cli/tests/hostile.rs), so the zeros after it are end-of-archive blocks inflated to the limit.
    let mut header = tar::Header::new_ustar();
    header.set_path("seattle/seattle_repy/big").unwrap();
    header.set_size(1 << 30);
    header.set_mode(0o644);
    header.set_cksum();
    let mut base = gzip_members(header.as_bytes(), 9, &[]);
    let zeros = gzip_members(&vec![0; 64 << 20], 9, &[]);
    for _ in 0..40 {
        base.extend_from_slice(&zeros);
    }
    let err = customize(&base, VESSELINFO).unwrap_err();
    assert!(
        matches!(&err, BaseInstallerError::TooLarge(why) if why.contains("unpacks to more than")),
        "{err}"
    );
}

#[test]
fn endless_entry_headers_are_refused() {
    let mut pax = tar::Header::new_ustar();
    pax.set_entry_type(tar::EntryType::XHeader);
    pax.set_size(4 << 20);
    pax.set_cksum();
    let mut tar = entries(7, 3, None).concat();
    tar.extend_from_slice(pax.as_bytes());
    tar.extend_from_slice(&vec![b'x'; 4 << 20]);
    tar.extend_from_slice(&tar_end(tar.len() as u64));
    let err = customize(&gzip_members(&tar, 1, &[]), VESSELINFO).unwrap_err();
    assert!(err.to_string().contains("headers go on past"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random trees, compression levels and member cuts, with or without an old vesselinfo:
    /// GNU tar sees the base's entries, vesselinfo aside, and nothing is kept past the change.
    #[test]
    fn any_foreign_tar_gz_customizes_to_the_same_entries(
        seed in any::<u64>(),
        files in 0usize..40,
        level in 0u32..=9,
        old in proptest::option::of(0usize..40),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..3),
    ) {
        let tar = tar_of(&entries(seed, files, old.filter(|&at| at < files)));
        let mut cuts: Vec<usize> = cuts.iter().map(|c| 1 + c.index(tar.len() - 1)).collect();
        cuts.sort();
        cuts.dedup();
        let base = gzip_members(&tar, level, &cuts);
        let (out, kept, _) = customized(&base);
        assert_same_under_gnu_tar(&base, &out);
        prop_assert!(kept as usize <= base.len());
    }
}
