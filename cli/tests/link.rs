//! `cib link` and `cib build --link`: a description goes through a share link and comes back
//! building the very same installers.

mod support;

use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;
use support::{cib, stderr, workspace, BASES};

fn sha256(path: &Path) -> String {
    let digest = Sha256::digest(fs::read(path).unwrap());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn build(args: &[&str], dir: &Path) {
    let mut all = vec!["build", "--base-installers", BASES];
    all.extend(args);
    let out = cib(&all, dir);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn a_link_builds_byte_identical_installers() {
    let (dir, description) = workspace();
    let dir = dir.path();
    // bob's key is generated here; build.json then has both keys.
    build(&[description.to_str().unwrap(), "--out", "first"], dir);

    let link = cib(&["link", "first/build.json"], dir);
    assert!(link.status.success(), "{}", stderr(&link));
    let fragment = String::from_utf8(link.stdout).unwrap();
    let fragment = fragment.strip_suffix('\n').unwrap();
    assert!(fragment
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));

    build(&["--link", fragment, "--out", "again"], dir);
    // No key was generated, so no private keys; everything else is the same, byte for byte.
    assert_eq!(
        files_in(&dir.join("again")),
        [
            "build.json",
            "public_keys.zip",
            "seattle_android.zip",
            "seattle_linux.tgz",
            "seattle_mac.tgz",
            "seattle_win.zip",
            "vesselinfo"
        ]
    );
    for file in files_in(&dir.join("again")) {
        assert_eq!(
            sha256(&dir.join("again").join(&file)),
            sha256(&dir.join("first").join(&file)),
            "{file}"
        );
    }
}

#[test]
fn a_whole_link_carries_its_platforms() {
    let (dir, description) = workspace();
    let dir = dir.path();
    build(&[description.to_str().unwrap(), "--out", "first"], dir);
    let link = cib(
        &[
            "link",
            "first/build.json",
            "--page",
            "https://cib.example/builder/#old",
            "--platform",
            "android",
            "--platform",
            "linux",
        ],
        dir,
    );
    assert!(link.status.success(), "{}", stderr(&link));
    let link = String::from_utf8(link.stdout).unwrap();
    assert!(link.starts_with("https://cib.example/builder/#"), "{link}");
    assert_eq!(link.matches('#').count(), 1);

    build(&["--link", link.trim(), "--out", "chosen"], dir);
    let installers: Vec<String> = files_in(&dir.join("chosen"))
        .into_iter()
        .filter(|f| f.starts_with("seattle_"))
        .collect();
    assert_eq!(installers, ["seattle_android.zip", "seattle_linux.tgz"]);
    // --platform chooses instead of the link.
    build(
        &["--link", link.trim(), "--platform", "mac", "--out", "mac"],
        dir,
    );
    assert!(dir.join("mac/seattle_mac.tgz").is_file());
    assert!(!dir.join("mac/seattle_linux.tgz").exists());
    assert_eq!(
        sha256(&dir.join("mac/seattle_mac.tgz")),
        sha256(&dir.join("first/seattle_mac.tgz"))
    );
}

#[test]
fn bad_links_and_keyless_descriptions_are_refused() {
    let (dir, description) = workspace();
    let dir = dir.path();
    let description = description.to_str().unwrap();

    // bob has no key yet.
    let keyless = cib(&["link", description], dir);
    assert_eq!(keyless.status.code(), Some(2));
    assert!(keyless.stdout.is_empty());
    assert!(
        stderr(&keyless).contains("bob has no public key")
            && stderr(&keyless).contains("`cib build` writes build.json with every key filled in"),
        "{}",
        stderr(&keyless)
    );

    build(&[description, "--out", "first"], dir);
    let link = cib(&["link", "first/build.json"], dir);
    let fragment = String::from_utf8(link.stdout).unwrap().trim().to_string();
    // Cut at a whole base64 quad (a cut one character past one says "cut short?" instead).
    let cut = &fragment[..fragment.len() / 8 * 4];
    // A changed first character makes the format byte 0x05: a newer cib's link.
    let newer = format!("B{}", &fragment[1..]);
    for (link, message) in [
        (
            "AQ!x",
            "cib: this link is damaged: character 3 ('!') cannot be there",
        ),
        (cut, "cib: this link ends early: "),
        (
            newer.as_str(),
            "cib: this link was made by a newer version of cib (format 5)",
        ),
    ] {
        let out = cib(
            &[
                "build",
                "--base-installers",
                BASES,
                "--link",
                link,
                "--out",
                "bad",
            ],
            dir,
        );
        assert_eq!(out.status.code(), Some(2), "{link}");
        assert!(out.stdout.is_empty());
        assert!(stderr(&out).starts_with(message), "{}", stderr(&out));
        assert!(!dir.join("bad").exists());
    }

    let both = cib(
        &["build", description, "--link", &fragment, "--out", "both"],
        dir,
    );
    assert_eq!(both.status.code(), Some(2));
    assert!(
        stderr(&both).contains("cannot be used with"),
        "{}",
        stderr(&both)
    );
    let neither = cib(&["build", "--out", "neither"], dir);
    assert_eq!(neither.status.code(), Some(2));
    assert!(!dir.join("both").exists() && !dir.join("neither").exists());
}
