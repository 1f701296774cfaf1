//! `cib inspect` driven from files: installers made by `cib build` and `cib customize`, tarballs
//! made by GNU tar around hand-written vesselinfo, tampered metainfo, and hostile archives.

mod support;

use cib_core::PublicKey;
use serde_json::Value;
use std::fs;
use std::path::Path;

use support::{cib, run, stderr};

#[path = "../../tests/cli/hostile_archives.rs"]
mod hostile_archives;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn demo_updater_key() -> String {
    format!("{ROOT}/demo/updater_demo.publickey")
}

/// `cib inspect INSTALLER --json [EXTRA...]`: its exit code, its JSON, its stderr.
fn inspect_json(dir: &Path, installer: &str, extra: &[&str]) -> (Option<i32>, Value, String) {
    let mut args = vec!["inspect", installer, "--json"];
    args.extend(extra);
    let out = cib(&args, dir);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{installer}: not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        )
    });
    (out.status.code(), json, stderr(&out))
}

/// A key pair made by `cib keygen`, its public key's text.
fn keygen(dir: &Path, name: &str) -> String {
    let out = cib(&["keygen", name, "--out", "keys"], dir);
    assert!(out.status.success(), "{}", stderr(&out));
    fs::read_to_string(dir.join(format!("keys/{name}.publickey")))
        .unwrap()
        .trim()
        .to_string()
}

/// A tar.gz made by GNU tar of a `seattle/seattle_repy/` folder holding `vesselinfo`.
fn tarball(dir: &Path, name: &str, vesselinfo: &[u8]) -> String {
    tarball_of(dir, name, None, vesselinfo, |_| {})
}

/// A tar.gz made by GNU tar: the files of `base` (extracted by GNU tar), if given, with
/// `vesselinfo` added and `edit` done to the tree.
fn tarball_of(
    dir: &Path,
    name: &str,
    base: Option<&str>,
    vesselinfo: &[u8],
    edit: impl FnOnce(&Path),
) -> String {
    let tree = dir.join(format!("{name}.tree"));
    fs::create_dir_all(tree.join("seattle/seattle_repy")).unwrap();
    if let Some(base) = base {
        run("tar", &["-xzf", base, "-C", tree.to_str().unwrap()], dir);
    }
    fs::write(tree.join("seattle/seattle_repy/vesselinfo"), vesselinfo).unwrap();
    edit(&tree.join("seattle/seattle_repy"));
    let file = format!("{name}.tgz");
    let archive = dir.join(&file);
    run(
        "tar",
        &["-czf", archive.to_str().unwrap(), "seattle"],
        &tree,
    );
    file
}

fn fingerprint(key: &str) -> String {
    PublicKey::parse(key).unwrap().fingerprint()
}

#[test]
fn installers_cib_builds_for_every_platform_show_their_vessels_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let alice = keygen(dir, "alice");
    fs::write(
        dir.join("build.json"),
        format!(
            r#"{{"vessels": [{{"percentage": 50, "owner": "alice", "users": ["bob"]}}, {{"percentage": 30, "owner": "bob"}}],
                "user_data": {{"alice": {{"public_key": "{alice}"}}, "bob": {{}}}}}}"#
        ),
    )
    .unwrap();
    let bases = format!("{ROOT}/base_installers");
    let built = cib(
        &[
            "build",
            "build.json",
            "--base-installers",
            &bases,
            "--out",
            "out",
            // The legacy size, so the reported size is not merely the default.
            "--bits",
            "1024",
        ],
        dir,
    );
    assert!(built.status.success(), "{}", stderr(&built));
    let bob = fs::read_to_string(dir.join("out/build.json")).unwrap();
    let bob: Value = serde_json::from_str(&bob).unwrap();
    let bob = bob["user_data"]["bob"]["public_key"]
        .as_str()
        .unwrap()
        .to_string();
    let reserved = cib_core::vessel::RESERVED_OWNER_KEY.trim();
    for file in [
        "seattle_linux.tgz",
        "seattle_mac.tgz",
        "seattle_win.zip",
        "seattle_android.zip",
    ] {
        let installer = format!("out/{file}");
        let (code, json, said) = inspect_json(
            dir,
            &installer,
            &["--updater-public-key", &demo_updater_key()],
        );
        assert_eq!(code, Some(0), "{file}: {said}");
        assert_eq!(json["seattle_accepts"], true, "{file}");
        assert_eq!(json["reserved_vessel"], true, "{file}");
        assert_eq!(json["problems"], serde_json::json!([]), "{file}");
        assert_eq!(json["unusable_keys"], serde_json::json!([]), "{file}");
        let vessels = json["vessels"].as_array().unwrap();
        let summary: Vec<(i64, &str, Vec<&str>)> = vessels
            .iter()
            .map(|v| {
                (
                    v["percent"].as_i64().unwrap(),
                    v["owner"]["key"].as_str().unwrap(),
                    v["users"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|u| u["key"].as_str().unwrap())
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (50, alice.as_str(), vec![bob.as_str()]),
                (30, bob.as_str(), vec![]),
                (20, reserved, vec![])
            ],
            "{file}"
        );
        let owner = &vessels[0]["owner"];
        assert_eq!(owner["fingerprint"].as_str().unwrap(), fingerprint(&alice));
        // alice's key is from `cib keygen` (2048 bits by default), bob's generated at 1024.
        assert_eq!(owner["bits"], 2048);
        assert_eq!(vessels[0]["users"][0]["bits"], 1024);
        assert_eq!(
            vessels[0]["users"][0]["fingerprint"].as_str().unwrap(),
            fingerprint(&bob)
        );
        assert_eq!(vessels[2]["owner"]["fingerprint"], "dcba 53ce b70d 0f2b");
        let metainfo = &json["metainfo"];
        assert_eq!(metainfo["present"], true);
        assert_eq!(metainfo["signature_valid"], true);
        assert_eq!(metainfo["signer_is_updater_key"], true);
        assert_eq!(metainfo["holds"], true, "{file}: {metainfo}");
        let updater = fs::read_to_string(demo_updater_key()).unwrap();
        assert_eq!(
            metainfo["signer"]["fingerprint"].as_str().unwrap(),
            fingerprint(updater.trim())
        );
        assert_eq!(metainfo["signed_at"], "1767225600.0");
        assert_eq!(metainfo["expires"], "1769817600.0");
        let files = metainfo["files"].as_array().unwrap();
        assert_eq!(files.len(), 3, "{file}");
        assert!(files
            .iter()
            .all(|f| f["matches"] == true && f["sha1"].as_str().unwrap().len() == 40));

        // The text says the same, with every key in full.
        let text = cib(&["inspect", &installer], dir);
        assert!(text.status.success(), "{}", stderr(&text));
        let text = String::from_utf8(text.stdout).unwrap();
        assert!(
            text.contains("vesselinfo: 3 vessels; Seattle's installer accepts it"),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "  owner: {}, 2048 bits\n    {alice}\n",
                fingerprint(&alice)
            )),
            "{text}"
        );
        assert!(
            text.contains("the last vessel is the reserved one"),
            "{text}"
        );
        assert!(text.contains("metainfo: holds"), "{text}");
        assert!(
            text.contains("seattleinstaller.py 21176a64b6b8f6081658beaaa40552e711cac0bc 2214"),
            "{text}"
        );
    }

    // `cib customize` makes the same; an updater key that did not sign it refuses it.
    let customized = cib(
        &[
            "customize",
            "out/build.json",
            &format!("{bases}/seattle_win.zip"),
            "win.zip",
        ],
        dir,
    );
    assert!(customized.status.success(), "{}", stderr(&customized));
    let (code, json, _) = inspect_json(dir, "win.zip", &[]);
    assert_eq!(code, Some(0));
    assert_eq!(json["vessels"][1]["owner"]["key"].as_str().unwrap(), bob);
    assert_eq!(json["metainfo"]["signer_is_updater_key"], Value::Null);
    let (code, json, said) = inspect_json(
        dir,
        "win.zip",
        &["--updater-public-key", "keys/alice.publickey"],
    );
    assert_eq!(code, Some(2));
    assert_eq!(json["metainfo"]["signer_is_updater_key"], false);
    assert!(said.contains("metainfo: signed with"), "{said}");
    assert!(said.contains("not with the expected updater key"), "{said}");

    // A base installer grants nothing: no vesselinfo.
    let (code, json, said) = inspect_json(dir, &format!("{bases}/seattle_linux.tgz"), &[]);
    assert_eq!(code, Some(2));
    assert_eq!(json["vesselinfo"], false);
    assert_eq!(json["seattle_accepts"], false);
    assert!(
        said.contains("the installer has no seattle/seattle_repy/vesselinfo"),
        "{said}"
    );
}

#[test]
fn a_gnu_tarball_with_comments_and_tabs_is_read_as_seattle_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let alice = keygen(dir, "alice");
    let reserved = cib_core::vessel::RESERVED_OWNER_KEY.trim();
    let (e, n) = alice.split_once(' ').unwrap();
    let vesselinfo = format!(
        "# made by hand\nPercent\t80\nComment the next line has a tab\nOwner\t{e}\t{n}\tignored words\nUser 3 3127\nPercent 20\nOwner {reserved}\n"
    );
    let file = tarball(dir, "hand", vesselinfo.as_bytes());
    let (code, json, said) = inspect_json(dir, &file, &[]);
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(json["seattle_accepts"], true);
    assert_eq!(json["reserved_vessel"], true);
    assert_eq!(json["vessels"][0]["line"], 2);
    assert_eq!(json["vessels"][0]["percent"], 80);
    assert_eq!(json["vessels"][0]["owner"]["key"].as_str().unwrap(), alice);
    assert_eq!(json["vessels"][0]["owner"]["line"], 4);
    assert_eq!(json["vessels"][0]["users"][0]["key"], "3 3127");
    assert_eq!(json["vessels"][0]["users"][0]["bits"], 12);
    // The installer takes "3 3127"; no node could use it.
    let unusable = json["unusable_keys"].as_array().unwrap();
    assert_eq!(unusable.len(), 1);
    assert_eq!(unusable[0]["line"], 5);
    assert_eq!(unusable[0]["key"], "3 3127");
    assert_eq!(
        unusable[0]["why"],
        "the modulus has 12 bits; at least 512 are needed"
    );
    assert_eq!(json["metainfo"], serde_json::json!({"present": false}));
    // Asked to check the metainfo with a key, an installer without one is refused.
    let (code, _, said) = inspect_json(dir, &file, &["--updater-public-key", &demo_updater_key()]);
    assert_eq!(code, Some(2));
    assert!(
        said.contains("the installer has no seattle/seattle_repy/metainfo"),
        "{said}"
    );
}

#[test]
fn vesselinfo_the_installer_refuses_is_refused_with_every_reason() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let cases: [(&str, &[u8], &[&str]); 6] = [
        (
            "blank",
            b"Percent 100\n\nOwner 1 2",
            &["line 2: the line is blank"],
        ),
        (
            "cr",
            b"Percent 100\rOwner 1 2\r",
            &["line 1: the vessel that starts here has no Owner line"],
        ),
        (
            "user-first",
            b"User 1 2\nPercent 100\nOwner 1 2",
            &["line 1: User comes before any Percent line"],
        ),
        (
            "percent85",
            b"Percent 85\nOwner 1 2\nPercent 15\nOwner 1 2",
            &[
                "line 1: the percentage 85 is not one of 10, 20, ..., 100",
                "line 3: the percentage 15 is not one of 10, 20, ..., 100",
            ],
        ),
        (
            "total90",
            b"Percent 70\nOwner 1 2\nPercent 20\nOwner 1 2",
            &["the vessels total 90%, not 100%"],
        ),
        (
            "many",
            b"Owner 1 2\nPercent 85\n\nPercent x",
            &[
                "line 1: Owner comes before any Percent line",
                "line 3: the line is blank",
                "line 2: the vessel that starts here has no Owner line",
                "line 4: the percentage \"x\" is not a whole number",
                "line 4: the vessel that starts here has no Owner line",
                "line 2: the percentage 85 is not one of 10, 20, ..., 100",
            ],
        ),
    ];
    for (name, vesselinfo, expected) in cases {
        let file = tarball(dir, name, vesselinfo);
        let (code, json, said) = inspect_json(dir, &file, &[]);
        assert_eq!(code, Some(2), "{name}");
        assert_eq!(json["seattle_accepts"], false, "{name}");
        let problems: Vec<&str> = json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(problems, expected, "{name}");
        let count = expected.len();
        assert!(
            said.contains(&format!(
                "{file}: {count} reason{} to refuse it:",
                if count == 1 { "" } else { "s" }
            )),
            "{name}: {said}"
        );
        for problem in expected {
            assert!(
                said.contains(&format!(
                    "  Seattle's installer refuses the vesselinfo: {problem}\n"
                )),
                "{name}: {said}"
            );
        }
        let text = cib(&["inspect", &file], dir);
        assert_eq!(text.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&text.stdout).contains("Seattle's installer refuses it:"));
    }
}

#[test]
fn odd_vesselinfo_the_installer_accepts_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let alice = keygen(dir, "alice");
    let (e, n) = alice.split_once(' ').unwrap();
    let reserved = cib_core::vessel::RESERVED_OWNER_KEY.trim();
    let vesselinfo =
        format!("Percent 080\nOwner {e}L 000{n}l\nPercent\x0c20\nOwner\x0c{reserved}\x0c\n");
    let file = tarball(dir, "odd", vesselinfo.as_bytes());
    let (code, json, said) = inspect_json(dir, &file, &[]);
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(json["seattle_accepts"], true);
    // Read as Python reads the numbers, written back plain.
    assert_eq!(json["vessels"][0]["percent"], 80);
    assert_eq!(json["vessels"][0]["owner"]["key"].as_str().unwrap(), alice);
    assert_eq!(
        json["vessels"][0]["owner"]["fingerprint"].as_str().unwrap(),
        fingerprint(&alice)
    );
    assert_eq!(json["unusable_keys"], serde_json::json!([]));
    // A form feed separates words, not lines.
    assert_eq!(json["vessels"][1]["percent"], 20);
    assert_eq!(json["vessels"][1]["owner"]["key"], reserved);
    assert_eq!(json["reserved_vessel"], true);
}

/// An accepted vesselinfo: alice's 80%, then the reserved vessel.
fn accepted_vesselinfo(alice: &str) -> String {
    let reserved = cib_core::vessel::RESERVED_OWNER_KEY.trim();
    format!("Percent 80\nOwner {alice}\nPercent 20\nOwner {reserved}")
}

#[test]
fn tampered_and_unsigned_metainfo_fail_the_updater_key_check() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let alice = keygen(dir, "alice");
    let vesselinfo = accepted_vesselinfo(&alice);
    let base = format!("{ROOT}/base_installers/seattle_linux.tgz");
    let key = demo_updater_key();

    let intact = tarball_of(dir, "intact", Some(&base), vesselinfo.as_bytes(), |_| {});
    let (code, json, said) = inspect_json(dir, &intact, &["--updater-public-key", &key]);
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(json["metainfo"]["holds"], true);

    let tampered = tarball_of(
        dir,
        "tampered",
        Some(&base),
        vesselinfo.as_bytes(),
        |repy| {
            let path = repy.join("nmmain.py");
            let mut script = fs::read(&path).unwrap();
            script.extend_from_slice(b"\nprint('and something else')\n");
            fs::write(path, script).unwrap();
        },
    );
    let (code, json, said) = inspect_json(dir, &tampered, &["--updater-public-key", &key]);
    assert_eq!(code, Some(2));
    let metainfo = &json["metainfo"];
    assert_eq!(metainfo["signature_valid"], true);
    assert_eq!(metainfo["signer_is_updater_key"], true);
    assert_eq!(metainfo["holds"], false);
    let matches: Vec<(&str, bool)> = metainfo["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["matches"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        matches,
        [
            ("nmmain.py", false),
            ("seattleinstaller.py", true),
            ("softwareupdater.py", true)
        ]
    );
    assert!(
        said.contains("1 reason to refuse it:\n  metainfo: nmmain.py differs: SHA-1"),
        "{said}"
    );
    // Without the key only Seattle's installer's verdict decides; the metainfo is still shown.
    let text = cib(&["inspect", &tampered], dir);
    assert!(text.status.success(), "{}", stderr(&text));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("metainfo: does not hold:\n    nmmain.py differs"),
        "{text}"
    );
    assert!(
        text.contains("does not match the installer's file: nmmain.py"),
        "{text}"
    );

    // A metainfo with its signature line cut off: its lines, unsigned.
    let unsigned = tarball_of(
        dir,
        "unsigned",
        Some(&base),
        vesselinfo.as_bytes(),
        |repy| {
            let path = repy.join("metainfo");
            let text = fs::read_to_string(&path).unwrap();
            let lines = text.split("\n!").next().unwrap().to_string();
            fs::write(path, lines).unwrap();
        },
    );
    let (code, json, said) = inspect_json(dir, &unsigned, &["--updater-public-key", &key]);
    assert_eq!(code, Some(2));
    assert_eq!(json["metainfo"]["present"], true);
    assert_eq!(json["metainfo"]["signer"], Value::Null);
    assert_eq!(json["metainfo"]["signature_valid"], Value::Null);
    assert!(
        said.contains("metainfo: seattle/seattle_repy/metainfo cannot be read"),
        "{said}"
    );
}

#[test]
fn what_is_not_an_installer_is_refused_as_customizing_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    fs::write(dir.join("notes.txt"), "Percent 100\nOwner 1 2").unwrap();
    fs::write(dir.join("empty.zip"), "").unwrap();
    for (file, why) in [
        (
            "notes.txt",
            "notes.txt: the base installer is neither a zip nor a gzip-compressed tar archive",
        ),
        (
            "empty.zip",
            "empty.zip: the base installer is an empty file",
        ),
    ] {
        let out = cib(&["inspect", file, "--json"], dir);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(out.stdout.is_empty(), "{file}");
        assert!(stderr(&out).contains(why), "{file}: {}", stderr(&out));
    }
    let missing = cib(&["inspect", "nowhere.tgz"], dir);
    assert_eq!(missing.status.code(), Some(1));
    // A tar.gz without the Seattle folder.
    fs::create_dir_all(dir.join("other/stuff")).unwrap();
    fs::write(dir.join("other/stuff/vesselinfo"), "Percent 100\nOwner 1 2").unwrap();
    run("tar", &["-czf", "other.tgz", "other"], dir);
    let out = cib(&["inspect", "other.tgz"], dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out)
        .contains("has no seattle/seattle_repy/ folder, so it is not a Seattle installer"));
}

#[test]
fn hostile_archives_are_refused_with_customizings_messages() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    for name in hostile_archives::NAMES {
        fs::write(dir.join(name), hostile_archives::named(name)).unwrap();
        let out = cib(&["inspect", name], dir);
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {said}");
        for gist in hostile_archives::refusal(name) {
            assert!(said.contains(gist), "{name}: {said}");
        }
        fs::remove_file(dir.join(name)).unwrap();
    }
}

#[test]
fn inspect_has_help() {
    let dir = tempfile::tempdir().unwrap();
    let out = cib(&["inspect", "--help"], dir.path());
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("--updater-public-key <FILE>") && help.contains("--json"),
        "{help}"
    );
}
