//! Customizing base installers: how long it takes, against the legacy CIB's pipeline
//! (`gzip -cd | tar -rf | gzip -c`) and a bare `gzip -cd`, measured in the same run, and how much
//! memory `cib customize` needs, for a realistic base and for a gzip bomb.
//!
//! `cargo bench -p cib-core --bench customize` (set CIB_BENCH_RUNS to change the repetitions).
//! It builds the `cib` binary (release) to time the whole process.

use cib_core::base_installer::{
    customize, customize_zip_tail, pack, zip_tail_start, Piece, TailOutcome, TreeEntry,
};
use cib_core::ArchiveKind;
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
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
    let cib = build_cib();
    println!("median of {runs} runs each\n");
    tar_gz(&cib, &work, runs);
    zip_scaling(runs);
    std::fs::remove_dir_all(&work).ok();
}

/// The release `cib` binary, built next to this benchmark.
fn build_cib() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "cib"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success(), "building cib");
    // This benchmark runs from target/release/deps.
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("cib")
}

fn tar_gz(cib: &Path, work: &Path, runs: usize) {
    let tree = realistic_tree(20 << 20);
    let packed = pack(ArchiveKind::TarGz, &tree).unwrap();
    let mut tar = Vec::new();
    flate2::read::MultiGzDecoder::new(&packed[..])
        .read_to_end(&mut tar)
        .unwrap();
    let foreign = gzip_cli(&tar, &["-c", "-6"]);
    std::fs::write(work.join("foreign.tgz"), &foreign).unwrap();
    std::fs::create_dir_all(work.join("add/seattle/seattle_repy")).unwrap();
    std::fs::write(work.join("add/seattle/seattle_repy/vesselinfo"), VESSELINFO).unwrap();
    let keygen = Command::new(cib)
        .args(["keygen", "owner", "--out", "keys"])
        .current_dir(work)
        .output()
        .unwrap();
    assert!(keygen.status.success());
    let key = std::fs::read_to_string(work.join("keys/owner.publickey")).unwrap();
    std::fs::write(
        work.join("build.json"),
        format!(
            r#"{{"vessels": [{{"percentage": 80, "owner": "owner"}}], "user_data": {{"owner": {{"public_key": "{}"}}}}}}"#,
            key.trim()
        ),
    )
    .unwrap();
    println!(
        "tar.gz: {:.1} MB packed by gzip -6 in one member, {:.1} MB unpacked, {} entries",
        mb(foreign.len()),
        mb(tar.len()),
        tree.len()
    );

    let shell = |script: &str| {
        let status = Command::new("sh")
            .args(["-c", script])
            .current_dir(work)
            .status()
            .unwrap();
        assert!(status.success(), "{script}");
    };
    let whole = format!(
        "{} customize build.json foreign.tgz custom.tgz",
        cib.display()
    );
    // The three processes take turns, so that the shared machine's load falls on each alike.
    let [legacy, floor, cib_process] = medians_taking_turns(
        runs,
        [
            "gzip -cd foreign.tgz > base.tar && tar -rf base.tar -C add seattle/seattle_repy/vesselinfo && gzip -c base.tar > legacy.tgz",
            "gzip -cd foreign.tgz > /dev/null",
            &whole,
        ]
        .map(|script| move || shell(script)),
    );
    shell("gzip -t custom.tgz && tar -tzf custom.tgz seattle/seattle_repy/vesselinfo > /dev/null");
    let in_process = median(runs, || {
        customize(&foreign, VESSELINFO).unwrap();
    });
    let inflate_only = median(runs, || {
        let mut sink = Vec::with_capacity(tar.len());
        flate2::read::MultiGzDecoder::new(&foreign[..])
            .read_to_end(&mut sink)
            .unwrap();
    });
    let relaid = cib_core::base_installer::relayout(&foreign).unwrap();
    let laid_out = median(runs, || {
        customize(&relaid, VESSELINFO).unwrap();
    });
    let row = |what: &str, t: Duration| {
        println!(
            "  {what:<58} {:>8.1} ms   {:>5.1}x faster than legacy",
            ms(t),
            ratio(legacy, t)
        );
    };
    row("legacy pipeline: gzip -cd | tar -rf | gzip -c", legacy);
    row("bare `gzip -cd > /dev/null`", floor);
    row("`cib customize`, whole process", cib_process);
    row("in process: customize() of the foreign tar.gz", in_process);
    row(
        "in process: customize() after relayout-base-installer",
        laid_out,
    );
    row(
        "in process: inflating alone (flate2 on zlib-rs)",
        inflate_only,
    );
    println!(
        "  `cib customize` takes {:.2}x the time of a bare `gzip -cd` (target <= 1.0x) and is {:.1}x faster than legacy (target >= 20x)",
        ratio(cib_process, floor),
        ratio(legacy, cib_process)
    );
    let pieces = customize(&foreign, VESSELINFO).unwrap().pieces;
    let (kept, new) = pieces.as_slice().iter().fold((0, 0), |(k, n), p| match p {
        Piece::Base(r) => (k + (r.end - r.start) as usize, n),
        Piece::New(b) => (k, n + b.len()),
    });
    println!(
        "  output: {:.2} MB of the base kept as is, {} new bytes (legacy output {:.2} MB)",
        mb(kept),
        new,
        mb(std::fs::metadata(work.join("legacy.tgz")).unwrap().len() as usize)
    );

    let bomb = gzip_bomb(3 << 30);
    std::fs::write(work.join("bomb.tgz"), &bomb).unwrap();
    println!(
        "  peak memory of `cib customize`: {:.1} MB for the {:.1} MB base; {:.1} MB for a {:.1} MB tar.gz that unpacks to 3 GiB (refused)\n",
        peak_rss_mb(cib, work, "foreign.tgz", true),
        mb(foreign.len()),
        peak_rss_mb(cib, work, "bomb.tgz", false),
        mb(bomb.len())
    );
}

/// A tar header announcing a file of `size` bytes, then that many zeros, gzip'd 64 MiB to a
/// member (compressing once and repeating the member keeps making it quick).
fn gzip_bomb(size: u64) -> Vec<u8> {
    let mut header = tar::Header::new_ustar();
    header.set_path("seattle/seattle_repy/zeros").unwrap();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_cksum();
    let mut bomb = gzip_cli(header.as_bytes(), &["-c", "-9"]);
    let member = gzip_cli(&vec![0; 64 << 20], &["-c", "-9"]);
    for _ in 0..size / (64 << 20) {
        bomb.extend_from_slice(&member);
    }
    bomb
}

/// `cib customize` under /usr/bin/time: its peak resident memory in MB.
fn peak_rss_mb(cib: &Path, work: &Path, base: &str, succeeds: bool) -> f64 {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "peak-kb %M"])
        .arg(cib)
        .args(["customize", "build.json", base, "peak.tgz"])
        .current_dir(work)
        .output()
        .unwrap();
    assert_eq!(output.status.success(), succeeds, "{base}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let kb: f64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-kb "))
        .and_then(|kb| kb.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak in {stderr}"));
    kb / 1024.0
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

fn medians_taking_turns<const N: usize>(
    runs: usize,
    mut works: [impl FnMut(); N],
) -> [Duration; N] {
    works.iter_mut().for_each(|work| work()); // warm caches
    let mut times = [(); N].map(|_| Vec::with_capacity(runs));
    for _ in 0..runs {
        for (work, times) in works.iter_mut().zip(&mut times) {
            let start = Instant::now();
            work();
            times.push(start.elapsed());
        }
    }
    times.map(|mut times| {
        times.sort();
        times[runs / 2]
    })
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
