//! Customizing base installers: how long it takes, against the legacy CIB's pipeline
//! (`gzip -cd | tar -rf | gzip -c`) and a bare `gzip -cd`, measured in the same run.
//!
//! `cargo bench -p cib-core --bench customize` (set CIB_BENCH_RUNS to change the repetitions).

use cib_core::base_installer::{
    customize, customize_zip_tail, pack, zip_tail_start, TailOutcome, TreeEntry,
};
use cib_core::ArchiveKind;
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const VESSELINFO: &[u8] = b"Percent 80\nOwner 65537 12345\nPercent 20\nOwner 3 77";

fn main() {
    let runs: usize = std::env::var("CIB_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);
    let work = std::env::temp_dir().join(format!("cib-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    println!("median of {runs} runs each\n");
    tar_gz(&work, runs);
    zip_scaling(runs);
    std::fs::remove_dir_all(&work).ok();
}

fn tar_gz(work: &Path, runs: usize) {
    let tree = realistic_tree(15 << 20);
    let packed = pack(ArchiveKind::TarGz, &tree).unwrap();
    let mut tar = Vec::new();
    flate2::read::MultiGzDecoder::new(&packed[..])
        .read_to_end(&mut tar)
        .unwrap();
    let foreign = gzip_cli(&tar, &["-c", "-6"]);
    std::fs::write(work.join("foreign.tgz"), &foreign).unwrap();
    std::fs::create_dir_all(work.join("add/seattle/seattle_repy")).unwrap();
    std::fs::write(work.join("add/seattle/seattle_repy/vesselinfo"), VESSELINFO).unwrap();
    println!(
        "tar.gz: {:.1} MB packed, {:.1} MB unpacked, {} entries",
        mb(foreign.len()),
        mb(tar.len()),
        tree.len()
    );

    let legacy = median(runs, || {
        let script = "gzip -cd foreign.tgz > base.tar && tar -rf base.tar -C add seattle/seattle_repy/vesselinfo && gzip -c base.tar > legacy.tgz";
        let status = Command::new("sh")
            .args(["-c", script])
            .current_dir(work)
            .status()
            .unwrap();
        assert!(status.success());
    });
    let floor = median(runs, || {
        let status = Command::new("sh")
            .args(["-c", "gzip -cd foreign.tgz > /dev/null"])
            .current_dir(work)
            .status()
            .unwrap();
        assert!(status.success());
    });
    let in_process_inflate = median(runs, || {
        let mut sink = Vec::with_capacity(tar.len());
        flate2::read::MultiGzDecoder::new(&foreign[..])
            .read_to_end(&mut sink)
            .unwrap();
    });
    let one_member = median(runs, || {
        customize(&foreign, VESSELINFO).unwrap();
    });
    let legacy_size = std::fs::metadata(work.join("legacy.tgz")).unwrap().len();
    let our_size = customize(&foreign, VESSELINFO).unwrap().pieces.len();
    let relaid = cib_core::base_installer::relayout(&foreign).unwrap();
    let laid_out = median(runs, || {
        customize(&relaid, VESSELINFO).unwrap();
    });
    let row = |what: &str, t: Duration| {
        println!(
            "  {what:<52} {:>8.1} ms   {:>5.1}x faster than legacy",
            ms(t),
            ratio(legacy, t)
        );
    };
    row("legacy pipeline: gzip -cd | tar -rf | gzip -c", legacy);
    row("bare `gzip -cd` (the floor for a foreign tar.gz)", floor);
    row(
        "in-process decompression only (flate2, zlib-rs)",
        in_process_inflate,
    );
    row("cib, a foreign tar.gz in one gzip member", one_member);
    row(
        "cib, the same after `cib relayout-base-installer`",
        laid_out,
    );
    println!(
        "  output size, foreign tar.gz: legacy {:.2} MB, cib {:.2} MB ({:+.1}%)\n",
        mb(legacy_size as usize),
        mb(our_size as usize),
        (our_size as f64 / legacy_size as f64 - 1.0) * 100.0
    );
}

fn zip_scaling(runs: usize) {
    println!("zip, 2000 entries each: customizing does not grow with the archive's size (only the central directory is read)");
    let mut first: Option<Duration> = None;
    for size_mb in [5usize, 20, 50] {
        let base = pack(ArchiveKind::Zip, &same_entries_tree(2000, size_mb << 20)).unwrap();
        let whole = median(runs, || {
            customize(&base, VESSELINFO).unwrap();
        });
        let tail = median(runs, || {
            let mut start = zip_tail_start(base.len() as u64);
            loop {
                match customize_zip_tail(&base[start as usize..], start, VESSELINFO).unwrap() {
                    TailOutcome::Customized(_) => break,
                    TailOutcome::NeedsBytesFrom(earlier) => start = earlier,
                }
            }
        });
        let copy = median(runs, || {
            std::hint::black_box(base.clone());
        });
        let baseline = *first.get_or_insert(tail);
        println!(
            "  {:>5.1} MB zip: whole bytes {:>6.2} ms, from the tail (as the page does) {:>6.2} ms ({:.1}x the 5 MB time); one memcpy of it {:>6.2} ms",
            mb(base.len()),
            ms(whole),
            ms(tail),
            ratio(tail, baseline),
            ms(copy)
        );
    }
}

/// `count` entries holding `total` bytes of incompressible data between them.
fn same_entries_tree(count: usize, total: usize) -> Vec<TreeEntry> {
    let mut rng = StdRng::seed_from_u64(7);
    let mut tree = vec![TreeEntry::folder("seattle/seattle_repy/")];
    for i in 0..count {
        let mut contents = vec![0u8; total / count];
        rng.fill_bytes(&mut contents);
        tree.push(TreeEntry::file(
            &format!("seattle/seattle_repy/file_{i:05}.bin"),
            0o644,
            contents,
        ));
    }
    tree
}

/// Something like a Seattle installer: many small Python sources and a few binary blobs,
/// until the packed tar.gz reaches `target` bytes.
fn realistic_tree(target: usize) -> Vec<TreeEntry> {
    let words = [
        "def", "return", "self", "vessel", "if", "else", "import", "for", "in", "node", "manager",
        "=", "(", ")", ":", "resource", "0", "1", "repy", "None",
    ];
    let mut rng = StdRng::seed_from_u64(11);
    let mut next = move || rng.next_u64();
    let mut tree = vec![
        TreeEntry::folder("seattle/"),
        TreeEntry::folder("seattle/seattle_repy/"),
    ];
    let mut packed_estimate = 0usize;
    let mut i = 0;
    while packed_estimate < target {
        let contents: Vec<u8> = if i % 50 == 49 {
            (0..200_000).map(|_| next() as u8).collect()
        } else {
            let mut text = String::new();
            for _ in 0..(200 + next() % 800) {
                for _ in 0..(3 + next() % 8) {
                    text.push_str(words[(next() % words.len() as u64) as usize]);
                    text.push(' ');
                }
                text.push('\n');
            }
            text.into_bytes()
        };
        packed_estimate += if i % 50 == 49 {
            contents.len()
        } else {
            contents.len() / 4
        };
        tree.push(TreeEntry::file(
            &format!("seattle/seattle_repy/module_{i:05}.py"),
            0o644,
            contents,
        ));
        i += 1;
    }
    tree
}

fn gzip_cli(input: &[u8], args: &[&str]) -> Vec<u8> {
    let mut child = Command::new("gzip")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    output.stdout
}

fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    work(); // warm caches and allocator
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(t: Duration) -> f64 {
    t.as_secs_f64() * 1000.0
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1 << 20) as f64
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}
