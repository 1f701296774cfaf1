//! `/base_installers/manifest.json`, and its staying true while files change.

use crate::support::*;
use reqwest::StatusCode;
use std::fs;

fn manifest(server: &Origin) -> serde_json::Value {
    get(server, "/base_installers/manifest.json", &[])
        .json()
        .unwrap()
}

#[test]
fn the_manifest_lists_every_installer_with_its_real_size_and_sha256() {
    let fixture = Fixture::new();
    let server = fixture.serve();
    let json = manifest(&server);
    let installers = json["installers"].as_object().unwrap();
    let expected = [
        ("linux", "seattle_linux.tgz"),
        ("mac", "seattle_mac.tgz"),
        ("windows", "seattle_win.zip"),
        ("android", "seattle_android.zip"),
        ("extra.tar.gz", "extra.tar.gz"),
    ];
    assert_eq!(installers.len(), expected.len(), "{json}");
    for (key, file) in expected {
        let bytes = fs::read(fixture.installers().join(file)).unwrap();
        let entry = &installers[key];
        assert_eq!(entry["file"], file);
        assert_eq!(entry["size"], bytes.len() as u64);
        assert_eq!(entry["sha256"], sha256_hex(&bytes));
        // The file itself is served at the name the manifest gives.
        let served = get(&server, &format!("/base_installers/{file}"), &[]);
        assert_eq!(sha256_hex(&served.bytes().unwrap()), sha256_hex(&bytes));
    }
}

#[test]
fn the_manifest_follows_files_replaced_added_and_removed_while_serving() {
    let fixture = Fixture::new();
    let server = fixture.serve();
    let dir = fixture.installers();
    let before = manifest(&server);

    // Rewritten in place, same size.
    let same_size = noise(52_000, 999);
    fs::write(dir.join("seattle_mac.tgz"), &same_size).unwrap();
    // Replaced by renaming a new file over it, as a careful deploy does.
    let newer = noise(80_000, 1234);
    fs::write(dir.join("staging.tmp"), &newer).unwrap();
    fs::rename(dir.join("staging.tmp"), dir.join("seattle_linux.tgz")).unwrap();
    fs::write(dir.join("seattle_beta.zip"), b"beta").unwrap();
    fs::remove_file(dir.join("seattle_android.zip")).unwrap();

    let after = manifest(&server);
    let installers = after["installers"].as_object().unwrap();
    assert_ne!(
        before["installers"]["mac"]["sha256"],
        installers["mac"]["sha256"]
    );
    assert_eq!(installers["mac"]["sha256"], sha256_hex(&same_size));
    assert_eq!(installers["linux"]["sha256"], sha256_hex(&newer));
    assert_eq!(installers["linux"]["size"], 80_000);
    assert_eq!(
        installers["seattle_beta.zip"]["sha256"],
        sha256_hex(b"beta")
    );
    assert!(!installers.contains_key("android"), "{after}");
    // Unchanged files keep their entry.
    assert_eq!(before["installers"]["windows"], installers["windows"]);
}

#[test]
fn a_missing_installers_folder_gives_an_empty_manifest() {
    let fixture = Fixture::new();
    fs::remove_dir_all(fixture.installers()).unwrap();
    let server = fixture.serve();
    assert_eq!(manifest(&server), serde_json::json!({"installers": {}}));
    let missing = get(&server, "/base_installers/seattle_linux.tgz", &[]);
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
