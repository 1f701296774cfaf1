//! The `cib` binary driven from files, its outputs checked with real extractors (GNU tar, unzip,
//! gzip) and with the demo installer's own vesselinfo reader.

use cib_core::{PrivateKey, PublicKey};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "cli/exit_codes.rs"]
mod exit_codes;
#[path = "cli/hostile.rs"]
mod hostile;
#[path = "cli/link.rs"]
mod link;
#[path = "cli/metainfo.rs"]
mod metainfo;
#[path = "tmpfs.rs"]
mod tmpfs;

const BASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../base_installers");

fn cib(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cib"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("cib runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn run(program: &str, args: &[&str], cwd: &Path) -> Output {
    let output = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A folder with alice's key pair from `cib keygen` and a 50/30 description in which bob has no key.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = cib(&["keygen", "alice", "--out", "keys"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let alice = fs::read_to_string(dir.path().join("keys/alice.publickey")).unwrap();
    let build = dir.path().join("build.json");
    fs::write(
        &build,
        format!(
            r#"{{"vessels": [{{"percentage": 50, "owner": "alice", "users": ["bob"]}}, {{"percentage": 30, "owner": "bob"}}],
                "user_data": {{"alice": {{"public_key": "{}"}}, "bob": {{}}}}}}"#,
            alice.trim()
        ),
    )
    .unwrap();
    (dir, build)
}

/// `keyed.json` in `dir`: one 80% vessel owned by alice, whose public key is `key`.
fn keyed_build(dir: &Path, key: &str) -> PathBuf {
    let path = dir.join("keyed.json");
    fs::write(
        &path,
        format!(
            r#"{{"vessels": [{{"percentage": 80, "owner": "alice"}}], "user_data": {{"alice": {{"public_key": "{}"}}}}}}"#,
            key.trim()
        ),
    )
    .unwrap();
    path
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for command in [
        &[][..],
        &["vesselinfo"],
        &["customize"],
        &["build"],
        &["keygen"],
        &["link"],
        &["pack-base-installers"],
        &["verify-base-installer"],
        &["export"],
        &["serve"],
    ] {
        let mut args = command.to_vec();
        args.push("--help");
        let out = cib(&args, dir.path());
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage: cib"),
            "{args:?}"
        );
    }
}

#[test]
fn keygen_writes_a_matching_pair_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    assert!(cib(&["keygen", "carol", "--bits", "2048"], dir.path())
        .status
        .success());
    let public =
        PublicKey::parse(&fs::read_to_string(dir.path().join("carol.publickey")).unwrap()).unwrap();
    let private =
        PrivateKey::parse(&fs::read_to_string(dir.path().join("carol.privatekey")).unwrap())
            .unwrap();
    assert_eq!(public.modulus_bits(), 2048);
    assert!(private.matches(&public));
    let mode = fs::metadata(dir.path().join("carol.privatekey")).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777,
        0o600
    );

    let again = cib(&["keygen", "carol"], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("exist already"));
    assert_eq!(
        fs::read_to_string(dir.path().join("carol.publickey")).unwrap(),
        public.to_string()
    );

    let bad = cib(&["keygen", "no way"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("contains ' '"));
    assert_eq!(
        cib(&["keygen", "dave", "--bits", "1000"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert!(!dir.path().join("dave.publickey").exists());
}

#[test]
fn vesselinfo_needs_every_key_and_says_where_to_get_them() {
    let (dir, build) = workspace();
    let out = cib(&["vesselinfo", build.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("bob has no public key; `cib build` generates"));
}

#[test]
fn invalid_descriptions_list_every_problem_and_print_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#"{"vessels": [{"percentage": 55, "owner": "bob"}, {"percentage": "20"}], "user_data": {"bob": {"public_key": "3 8"}, "x": {}}}"#,
            &[
                "vessel 1: percentage 55 is not a multiple of 10",
                "vessel 2: percentage must be a whole number",
                "vessel 2: has no owner",
                "user bob: public key: the modulus has 4 bits",
                "user_data: user name \"x\" has 1 characters",
            ][..],
        ),
        (
            r#"{"vessels": [{"percentage": 70, "owner": "bob"}], "user_data": {"bob": {}}}"#,
            &["these total 70%"][..],
        ),
        ("{not json", &["not a JSON object"][..]),
    ];
    let cases = cases.map(|(json, expected)| (json.as_bytes().to_vec(), expected));
    // Not text at all is invalid input too (exit 2), said with where the text stops.
    let not_text = (
        b"{\"vessels\": \xff}".to_vec(),
        &["is not UTF-8 text: it stops being text after 12 bytes"][..],
    );
    for (json, expected) in cases.into_iter().chain([not_text]) {
        let json = &json;
        fs::write(dir.path().join("bad.json"), json).unwrap();
        for command in ["vesselinfo", "build"] {
            let mut args = vec![command, "bad.json"];
            if command == "build" {
                args.extend(["--out", "out"]);
            }
            let out = cib(&args, dir.path());
            assert_eq!(
                out.status.code(),
                Some(2),
                "{}",
                String::from_utf8_lossy(json)
            );
            assert!(out.stdout.is_empty());
            for e in expected {
                assert!(stderr(&out).contains(e), "{e:?} not in {}", stderr(&out));
            }
            assert!(!dir.path().join("out").exists(), "nothing written");
        }
    }
    let missing = cib(&["vesselinfo", "nowhere.json"], dir.path());
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("nowhere.json"));
}

#[test]
fn build_writes_installers_that_real_extractors_and_the_installer_accept() {
    let (dir, build) = workspace();
    let out = cib(
        &[
            "build",
            build.to_str().unwrap(),
            "--base-installers",
            BASES,
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let outdir = dir.path().join("out");

    // build.json has every key now, so vesselinfo of it is what went into the installers.
    let vesselinfo = cib(&["vesselinfo", "out/build.json"], dir.path());
    assert!(vesselinfo.status.success());
    let vesselinfo = vesselinfo.stdout;
    assert_eq!(fs::read(outdir.join("vesselinfo")).unwrap(), vesselinfo);
    assert!(!vesselinfo.ends_with(b"\n"));

    for (file, zip) in [
        ("seattle_linux.tgz", false),
        ("seattle_mac.tgz", false),
        ("seattle_win.zip", true),
        ("seattle_android.zip", true),
    ] {
        let extracted = dir.path().join(format!("x-{file}"));
        fs::create_dir(&extracted).unwrap();
        let archive = outdir.join(file);
        let archive = archive.to_str().unwrap();
        let listing = if zip {
            run("unzip", &["-tq", archive], dir.path());
            run(
                "unzip",
                &["-q", archive, "-d", extracted.to_str().unwrap()],
                dir.path(),
            );
            String::from_utf8(run("unzip", &["-Z", archive], dir.path()).stdout).unwrap()
        } else {
            run("gzip", &["-t", archive], dir.path());
            run(
                "tar",
                &["-xzf", archive, "-C", extracted.to_str().unwrap()],
                dir.path(),
            );
            String::from_utf8(run("tar", &["-tvzf", archive], dir.path()).stdout).unwrap()
        };
        let vesselinfo_lines: Vec<&str> = listing
            .lines()
            .filter(|l| l.ends_with("seattle/seattle_repy/vesselinfo"))
            .collect();
        assert_eq!(vesselinfo_lines.len(), 1, "{file}: {listing}");
        assert!(
            vesselinfo_lines[0].starts_with("-rw-r--r--"),
            "{file}: {}",
            vesselinfo_lines[0]
        );
        assert!(!listing.contains(" ./"), "{file}: no second top folder");
        assert_eq!(
            fs::read(extracted.join("seattle/seattle_repy/vesselinfo")).unwrap(),
            vesselinfo,
            "{file}"
        );
        // The other files are the base installer's, untouched; executables stay executable.
        assert_eq!(
            fs::read(extracted.join("seattle/seattle_repy/seattleinstaller.py")).unwrap(),
            fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../demo/seattle/seattle_repy/seattleinstaller.py"
            ))
            .unwrap()
        );
        let install = fs::metadata(extracted.join("seattle/install.sh")).unwrap();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&install.permissions()) & 0o111,
            0o111,
            "{file}"
        );
        let accepted = run(
            "python3",
            &["seattle/seattle_repy/seattleinstaller.py"],
            &extracted,
        );
        assert!(String::from_utf8_lossy(&accepted.stdout).contains("vesselinfo accepted"));
    }

    // Key files: every user's public key; only bob's private key, and it matches.
    let built =
        cib_core::BuildDescription::parse(&fs::read_to_string(outdir.join("build.json")).unwrap())
            .unwrap();
    let public_zip = zip_files(&outdir.join("public_keys.zip"));
    assert_eq!(
        public_zip
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ["public_keys/alice.publickey", "public_keys/bob.publickey"]
    );
    let private_zip = zip_files(&outdir.join("private_keys.zip"));
    assert_eq!(private_zip.len(), 1);
    assert_eq!(private_zip[0].0, "private_keys/bob.privatekey");
    let bob_public = built.user("bob").unwrap().public_key.clone().unwrap();
    assert_eq!(public_zip[1].1, bob_public.to_string());
    assert!(PrivateKey::parse(&private_zip[0].1)
        .unwrap()
        .matches(&bob_public));
    let alice = fs::read_to_string(dir.path().join("keys/alice.publickey")).unwrap();
    assert_eq!(
        built
            .user("alice")
            .unwrap()
            .public_key
            .as_ref()
            .unwrap()
            .to_string(),
        alice.trim()
    );

    // The same description and bases give the same bytes; no private keys this time.
    let again = cib(
        &[
            "build",
            "out/build.json",
            "--base-installers",
            BASES,
            "--out",
            "again",
        ],
        dir.path(),
    );
    assert!(again.status.success(), "{}", stderr(&again));
    for file in [
        "seattle_linux.tgz",
        "seattle_win.zip",
        "vesselinfo",
        "public_keys.zip",
        "build.json",
    ] {
        assert_eq!(
            fs::read(outdir.join(file)).unwrap(),
            fs::read(dir.path().join("again").join(file)).unwrap(),
            "{file}"
        );
    }
    assert!(!dir.path().join("again/private_keys.zip").exists());
}

fn zip_files(path: &Path) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().unwrap().to_string(), text)
        })
        .collect()
}

#[test]
fn build_for_chosen_platforms_only_and_refuses_to_overwrite() {
    let (dir, build) = workspace();
    let build = build.to_str().unwrap();
    let out = cib(
        &[
            "build",
            build,
            "--base-installers",
            BASES,
            "--platform",
            "windows",
            "--platform",
            "linux",
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut names: Vec<String> = fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "build.json",
            "private_keys.zip",
            "public_keys.zip",
            "seattle_linux.tgz",
            "seattle_win.zip",
            "vesselinfo"
        ]
    );
    let keys_before = fs::read(dir.path().join("out/private_keys.zip")).unwrap();
    let again = cib(
        &[
            "build",
            build,
            "--base-installers",
            BASES,
            "--platform",
            "linux",
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("--force"));
    assert_eq!(
        fs::read(dir.path().join("out/private_keys.zip")).unwrap(),
        keys_before,
        "private keys kept"
    );
    let bad_platform = cib(
        &["build", build, "--platform", "solaris", "--out", "x"],
        dir.path(),
    );
    assert_eq!(bad_platform.status.code(), Some(2));
    assert!(stderr(&bad_platform).contains("solaris"));
    let no_bases = cib(
        &["build", build, "--base-installers", "nowhere", "--out", "y"],
        dir.path(),
    );
    assert_eq!(no_bases.status.code(), Some(1));
    assert!(stderr(&no_bases).contains("nowhere/seattle_linux.tgz"));
    assert!(!dir.path().join("y").exists());
}

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

#[test]
fn the_demo_base_installers_are_reproducible_from_the_demo_tree() {
    let dir = tempfile::tempdir().unwrap();
    let tree = concat!(env!("CARGO_MANIFEST_DIR"), "/../demo");
    let (public, private) = (
        metainfo::demo_key("publickey"),
        metainfo::demo_key("privatekey"),
    );
    let out = cib(
        &[
            "pack-base-installers",
            tree,
            "--out",
            "bases",
            "--updater-public-key",
            &public,
            "--updater-private-key",
            &private,
            "--signed-at",
            metainfo::DEMO_SIGNED_AT,
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for platform in cib_core::Platform::ALL {
        let made = fs::read(dir.path().join("bases").join(platform.file_name())).unwrap();
        let shipped = fs::read(Path::new(BASES).join(platform.file_name())).unwrap();
        assert!(
            made == shipped,
            "{} differs from the demo tree: run `cib pack-base-installers demo` with the demo \
             updater keys and --signed-at {} (see README)",
            platform.file_name(),
            metainfo::DEMO_SIGNED_AT
        );
    }
    let bad = cib(&["pack-base-installers", "."], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("no seattle/seattle_repy/"));
}

#[test]
fn relayout_keeps_the_entries_of_a_foreign_tar_gz() {
    let dir = tempfile::tempdir().unwrap();
    let extracted = dir.path().join("tree");
    fs::create_dir(&extracted).unwrap();
    run(
        "tar",
        &[
            "-xzf",
            &format!("{BASES}/seattle_linux.tgz"),
            "-C",
            extracted.to_str().unwrap(),
        ],
        dir.path(),
    );
    run(
        "sh",
        &["-c", "tar -cf - -C tree seattle | gzip -9 > foreign.tgz"],
        dir.path(),
    );
    let out = cib(
        &["relayout-base-installer", "foreign.tgz", "relaid.tgz"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let list =
        |file: &str| String::from_utf8(run("tar", &["-tvzf", file], dir.path()).stdout).unwrap();
    assert_eq!(list("relaid.tgz"), list("foreign.tgz"));
    let zip = cib(
        &[
            "relayout-base-installer",
            &format!("{BASES}/seattle_win.zip"),
            "x.zip",
        ],
        dir.path(),
    );
    assert_eq!(zip.status.code(), Some(2));
    assert!(!dir.path().join("x.zip").exists());
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
