//! Signed metainfo: `cib pack-base-installers` with the updater keys, `cib verify-base-installer`,
//! checked against the demo tree's own softwareupdater.py (Seattle's check, in Python) and with
//! archives tampered by GNU tar and Python's zipfile.

mod support;

use std::fs;
use std::path::Path;
use support::{cib, demo_key, keyed_build, run, stderr, DEMO, DEMO_SIGNED_AT};

fn pack_demo(dir: &Path, out: &str) {
    let packed = cib(
        &[
            "pack-base-installers",
            DEMO,
            "--out",
            out,
            "--updater-public-key",
            &demo_key("publickey"),
            "--updater-private-key",
            &demo_key("privatekey"),
            "--signed-at",
            DEMO_SIGNED_AT,
        ],
        dir,
    );
    assert!(packed.status.success(), "{}", stderr(&packed));
    assert!(stderr(&packed).contains("lists 3 files, signed at 1767225600.0"));
}

fn verify(dir: &Path, installer: &str, key: Option<&str>) -> std::process::Output {
    let mut args = vec!["verify-base-installer", installer];
    if let Some(key) = key {
        args.extend(["--updater-public-key", key]);
    }
    cib(&args, dir)
}

fn extract(dir: &Path, archive: &str, into: &str) {
    fs::create_dir_all(dir.join(into)).unwrap();
    if archive.ends_with(".zip") {
        run("unzip", &["-q", archive, "-d", into], dir);
    } else {
        run("tar", &["-xzf", archive, "-C", into], dir);
    }
}

#[test]
fn packed_with_the_updater_keys_the_installers_verify_and_seattles_check_accepts_them() {
    let dir = tempfile::tempdir().unwrap();
    pack_demo(dir.path(), "bases");
    let demo_public = demo_key("publickey");
    for platform in cib_core::Platform::ALL {
        let installer = format!("bases/{}", platform.file_name());
        let verified = verify(dir.path(), &installer, Some(&demo_public));
        assert!(verified.status.success(), "{}", stderr(&verified));
        let report = String::from_utf8(verified.stdout).unwrap();
        assert!(report.contains("metainfo holds"), "{report}");
        assert!(report.contains("listed:     3 files"), "{report}");
        assert!(report.contains("signed at:  1767225600.0 (Thu, 01 Jan 2026 00:00:00 GMT)"));
        assert!(report.contains("expires:    1769817600.0 (Sat, 31 Jan 2026 00:00:00 GMT"));
        // Without --updater-public-key, softwareupdater.py's key is the reference.
        assert!(verify(dir.path(), &installer, None).status.success());

        // The demo updater, Seattle's check written in Python, accepts the extracted installer.
        let into = format!("x-{}", platform.file_name());
        extract(dir.path(), &installer, &into);
        let checked = run(
            "python3",
            &["seattle/seattle_repy/softwareupdater.py"],
            &dir.path().join(&into),
        );
        assert!(
            String::from_utf8_lossy(&checked.stdout).contains("3 files match"),
            "{}",
            platform.file_name()
        );
    }
}

#[test]
fn customizing_leaves_the_metainfo_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    pack_demo(dir.path(), "bases");
    let key = fs::read_to_string(demo_key("publickey")).unwrap();
    let build = keyed_build(dir.path(), &key);
    for file in ["seattle_linux.tgz", "seattle_win.zip"] {
        let base = format!("bases/{file}");
        let custom = format!("custom-{file}");
        let out = cib(
            &["customize", build.to_str().unwrap(), &base, &custom],
            dir.path(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        extract(dir.path(), &base, "before");
        extract(dir.path(), &custom, "after");
        let metainfo = "seattle/seattle_repy/metainfo";
        assert_eq!(
            fs::read(dir.path().join("after").join(metainfo)).unwrap(),
            fs::read(dir.path().join("before").join(metainfo)).unwrap(),
            "{file}"
        );
        assert!(dir
            .path()
            .join("after/seattle/seattle_repy/vesselinfo")
            .exists());
        let verified = verify(dir.path(), &custom, Some(&demo_key("publickey")));
        assert!(verified.status.success(), "{file}: {}", stderr(&verified));
        fs::remove_dir_all(dir.path().join("before")).unwrap();
        fs::remove_dir_all(dir.path().join("after")).unwrap();
    }
}

/// Runs verify and checks that it refused with exit 2, an empty stdout and `expected` on stderr.
fn assert_refused(dir: &Path, installer: &str, key: Option<&str>, expected: &str) {
    let out = verify(dir, installer, key);
    assert_eq!(out.status.code(), Some(2), "{installer}: {}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains(expected),
        "{installer}: {}",
        stderr(&out)
    );
}

#[test]
fn verify_refuses_tampered_files_signatures_and_other_keys() {
    let dir = tempfile::tempdir().unwrap();
    pack_demo(dir.path(), "bases");

    // A listed file changed inside a tar.gz.
    extract(dir.path(), "bases/seattle_linux.tgz", "t");
    let nmmain = dir.path().join("t/seattle/seattle_repy/nmmain.py");
    let mut changed = fs::read(&nmmain).unwrap();
    changed.extend_from_slice(b"import os\n");
    fs::write(&nmmain, changed).unwrap();
    run(
        "tar",
        &["-czf", "file.tgz", "-C", "t", "seattle"],
        dir.path(),
    );
    assert_refused(dir.path(), "file.tgz", None, "nmmain.py differs: SHA-1");

    // The signature changed inside a zip (rewritten by Python's zipfile).
    let script = "import zipfile, sys\n\
        src = zipfile.ZipFile('bases/seattle_win.zip')\n\
        dst = zipfile.ZipFile('signature.zip', 'w')\n\
        for item in src.infolist():\n\
        \x20   data = src.read(item)\n\
        \x20   if item.filename.endswith('/metainfo'):\n\
        \x20       data = data[:-1] + (b'0' if data[-1:] != b'0' else b'1')\n\
        \x20   dst.writestr(item, data)\n\
        dst.close()\n";
    run("python3", &["-c", script], dir.path());
    assert_refused(
        dir.path(),
        "signature.zip",
        None,
        "the signature does not hold",
    );

    // Someone else's key.
    let made = cib(&["keygen", "stranger"], dir.path());
    assert!(made.status.success());
    assert_refused(
        dir.path(),
        "bases/seattle_mac.tgz",
        Some("stranger.publickey"),
        "not with the expected updater key",
    );

    // Installers packed without keys carry no metainfo.
    let unsigned = cib(
        &["pack-base-installers", DEMO, "--out", "plain"],
        dir.path(),
    );
    assert!(unsigned.status.success());
    assert!(stderr(&unsigned).contains("carry no metainfo signed"));
    assert_refused(
        dir.path(),
        "plain/seattle_android.zip",
        None,
        "has no seattle/seattle_repy/metainfo",
    );
    assert_refused(dir.path(), "stranger.publickey", None, "neither a zip nor");
}

#[test]
fn pack_refuses_bad_keys_and_times_before_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["one", "two"] {
        assert!(cib(&["keygen", name], dir.path()).status.success());
    }
    fs::create_dir_all(dir.path().join("tree/seattle/seattle_repy")).unwrap();
    fs::write(dir.path().join("tree/seattle/seattle_repy/nmmain.py"), "x").unwrap();
    fs::write(dir.path().join("garbage.publickey"), "65537 12345").unwrap();
    let demo_private = demo_key("privatekey");
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["tree", "--updater-public-key", "one.publickey"],
            vec!["give both --updater-public-key and --updater-private-key"],
        ),
        (
            vec!["tree", "--signed-at", "1"],
            vec!["--signed-at needs --updater-public-key"],
        ),
        (
            vec![
                "tree",
                "--updater-public-key",
                "one.publickey",
                "--updater-private-key",
                "two.privatekey",
            ],
            vec!["p * q of the private key is not the public key's modulus"],
        ),
        (
            vec![
                "tree",
                "--updater-public-key",
                "garbage.publickey",
                "--updater-private-key",
                "one.privatekey",
                "--signed-at",
                "99999999999",
            ],
            vec![
                "2 problems, nothing written",
                "garbage.publickey: the modulus has",
                "--signed-at 99999999999 is in the future",
            ],
        ),
        (
            // The demo tree's softwareupdater.py trusts the demo key only.
            vec![
                DEMO,
                "--updater-public-key",
                "one.publickey",
                "--updater-private-key",
                "one.privatekey",
            ],
            vec![
                "softwareupdater.py trusts the updater key",
                "could never update",
            ],
        ),
        (
            vec![
                DEMO,
                "--updater-public-key",
                "one.publickey",
                "--updater-private-key",
                &demo_private,
            ],
            vec!["does not match the public key"],
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["pack-base-installers", "--out", "out"];
        all.extend(&args);
        let out = cib(&all, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        for text in expected {
            assert!(stderr(&out).contains(text), "{args:?}: {}", stderr(&out));
        }
        assert!(
            !dir.path().join("out").exists(),
            "{args:?}: nothing written"
        );
    }

    // A fresh pair on a tree without softwareupdater.py signs fine, and only its key verifies.
    let out = cib(
        &[
            "pack-base-installers",
            "tree",
            "--out",
            "out",
            "--updater-public-key",
            "one.publickey",
            "--updater-private-key",
            "one.privatekey",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        verify(dir.path(), "out/seattle_linux.tgz", Some("one.publickey"))
            .status
            .success()
    );
    assert_refused(
        dir.path(),
        "out/seattle_win.zip",
        Some("two.publickey"),
        "not with the expected updater key",
    );
}
