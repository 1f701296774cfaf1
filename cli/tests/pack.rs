//! `cib pack-base-installers`: the demo base installers are reproducible from the demo tree.

mod support;

use std::fs;
use std::path::Path;
use support::{cib, stderr, BASES};

#[test]
fn the_demo_base_installers_are_reproducible_from_the_demo_tree() {
    let dir = tempfile::tempdir().unwrap();
    let tree = concat!(env!("CARGO_MANIFEST_DIR"), "/../demo");
    let (public, private) = (
        support::demo_key("publickey"),
        support::demo_key("privatekey"),
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
            support::DEMO_SIGNED_AT,
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
             updater keys and --signed-at {} (see docs/cli.md)",
            platform.file_name(),
            support::DEMO_SIGNED_AT
        );
    }
    let bad = cib(&["pack-base-installers", "."], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("no seattle/seattle_repy/"));
}
