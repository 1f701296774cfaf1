//! `cib build` driven from files, its outputs checked with real extractors (GNU tar, unzip,
//! gzip) and with the demo installer's own vesselinfo reader.

mod support;

use cib_core::PrivateKey;
use std::fs;
use std::io::Read;
use std::path::Path;
use support::{cib, run, stderr, workspace, BASES};

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
