//! `cib customize`: the type read from the bytes, bad bases refused, and tar.gz bases made by
//! other tools customized keeping their compressed bytes.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{cib, keyed_build, run, stderr, workspace, BASES};

#[test]
fn customize_reads_the_type_from_the_bytes_and_refuses_bad_bases() {
    let (dir, _) = workspace();
    let alice = fs::read_to_string(dir.path().join("keys/alice.publickey")).unwrap();
    keyed_build(dir.path(), &alice);
    let base = fs::read(Path::new(BASES).join("seattle_win.zip")).unwrap();
    fs::write(dir.path().join("installer.bin"), &base).unwrap();
    let out = cib(
        &["customize", "keyed.json", "installer.bin", "custom.bin"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    run("unzip", &["-tq", "custom.bin"], dir.path());
    let listed =
        String::from_utf8(run("unzip", &["-Z1", "custom.bin"], dir.path()).stdout).unwrap();
    assert!(listed
        .lines()
        .any(|l| l == "seattle/seattle_repy/vesselinfo"));

    let targz = fs::read(Path::new(BASES).join("seattle_linux.tgz")).unwrap();
    let mut bad_crc = targz.clone();
    let n = bad_crc.len();
    bad_crc[n - 8] ^= 0xff;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "empty file"),
        ("text", b"not an installer".to_vec(), "neither a zip nor"),
        (
            "cut.tgz",
            targz[..targz.len() / 2].to_vec(),
            "damaged or truncated",
        ),
        ("crc.tgz", bad_crc, "damaged or truncated"),
        (
            "cut.zip",
            base[..base.len() - 10].to_vec(),
            "damaged or truncated",
        ),
    ];
    for (name, bytes, expected) in cases {
        fs::write(dir.path().join(name), bytes).unwrap();
        let out = cib(&["customize", "keyed.json", name, "result"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(stderr(&out).contains(expected), "{name}: {}", stderr(&out));
        assert!(
            !dir.path().join("result").exists(),
            "{name}: nothing written"
        );
        let leftovers = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(leftovers, 0);
    }
}

/// A Seattle tree of about 2 MB (the demo's files plus generated sources and blobs), so its
/// tar.gz holds many deflate blocks.
fn larger_tree(dir: &Path) -> PathBuf {
    let tree = dir.join("tree");
    fs::create_dir(&tree).unwrap();
    run(
        "tar",
        &[
            "-xzf",
            &format!("{BASES}/seattle_linux.tgz"),
            "-C",
            tree.to_str().unwrap(),
        ],
        dir,
    );
    let lib = tree.join("seattle/seattle_repy/lib");
    fs::create_dir(&lib).unwrap();
    // Past tar's 100-byte names: GNU long-name entries or pax headers, depending on the tool.
    fs::write(
        lib.join(format!("{}.py", "long_name_".repeat(12))),
        "x = 1\n",
    )
    .unwrap();
    let words = [
        "def ",
        "vessel",
        " = ",
        "node(",
        ")\n",
        "    return ",
        "self.",
        "repy",
    ];
    let mut state = 7u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for i in 0..60 {
        let text: String = (0..4000).map(|_| words[next() % words.len()]).collect();
        fs::write(lib.join(format!("module_{i:02}.py")), text).unwrap();
        if i % 20 == 0 {
            let blob: Vec<u8> = (0..100_000).map(|_| next() as u8).collect();
            fs::write(lib.join(format!("blob_{i:02}.bin")), blob).unwrap();
        }
    }
    tree
}

#[test]
fn foreign_tar_gz_bases_from_other_tools_are_customized_keeping_their_compressed_bytes() {
    for tool in ["bsdtar", "pigz"] {
        assert!(
            Command::new(tool).arg("--version").output().is_ok(),
            "{tool} is missing: run scripts/setup.sh --test"
        );
    }
    let (dir, _) = workspace();
    let alice = fs::read_to_string(dir.path().join("keys/alice.publickey")).unwrap();
    keyed_build(dir.path(), &alice);
    larger_tree(dir.path());
    let makers = [
        ("gnu.tgz", "tar -cf - -C tree seattle | gzip -9 > gnu.tgz"),
        ("bsd.tgz", "bsdtar -czf bsd.tgz -C tree seattle"),
        (
            "python.tgz",
            "python3 -c \"import tarfile; t = tarfile.open('python.tgz', 'w:gz'); t.add('tree/seattle', arcname='seattle'); t.close()\"",
        ),
        ("pigz.tgz", "tar -cf - -C tree seattle | pigz > pigz.tgz"),
        ("pigz-stored.tgz", "tar -cf - -C tree seattle | pigz -0 > pigz-stored.tgz"),
    ];
    for (name, script) in makers {
        run("sh", &["-c", script], dir.path());
        let out = format!("custom-{name}");
        let result = cib(&["customize", "keyed.json", name, &out], dir.path());
        assert!(result.status.success(), "{name}: {}", stderr(&result));
        run("gzip", &["-t", &out], dir.path());
        let exclude = "--exclude=seattle/seattle_repy/vesselinfo";
        for (program, args) in [
            ("tar", ["-tvzf", exclude]),
            ("tar", ["-xzOf", exclude]),
            ("bsdtar", ["-tvzf", exclude]),
        ] {
            let of = |file: &str| run(program, &[args[0], file, args[1]], dir.path()).stdout;
            assert!(of(&out) == of(name), "{name}: {program} {args:?} differs");
        }
        let vesselinfo = run(
            "tar",
            &["-xzOf", &out, "seattle/seattle_repy/vesselinfo"],
            dir.path(),
        );
        assert!(String::from_utf8(vesselinfo.stdout)
            .unwrap()
            .starts_with("Percent 80\nOwner "));
        // All but the last deflate block or so is the base's own bytes.
        let base = fs::read(dir.path().join(name)).unwrap();
        let custom = fs::read(dir.path().join(&out)).unwrap();
        let same = base.iter().zip(&custom).take_while(|(a, b)| a == b).count();
        assert!(
            same > base.len() * 3 / 4,
            "{name}: only {same} of {} bytes kept",
            base.len()
        );
    }
    let gnu = fs::read(dir.path().join("gnu.tgz")).unwrap();
    let mut flipped = gnu.clone();
    flipped[gnu.len() / 2] ^= 0x20;
    for (name, bytes) in [
        ("cut.tgz", &gnu[..gnu.len() * 2 / 3]),
        ("flipped.tgz", &flipped),
    ] {
        fs::write(dir.path().join(name), bytes).unwrap();
        let out = cib(&["customize", "keyed.json", name, "result"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(
            stderr(&out).contains("damaged or truncated"),
            "{name}: {}",
            stderr(&out)
        );
        assert!(
            !dir.path().join("result").exists(),
            "{name}: nothing written"
        );
    }
}
